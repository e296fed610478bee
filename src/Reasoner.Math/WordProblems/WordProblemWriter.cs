// Writes one GSM8K-like word problem from a chain of operations on a quantity with a unit: an opening (a count, a
// product such as packs x items or hours x pay, an area, an age), steps that add, take away, multiply, take a
// fraction or a percent of it, and a question; distractor sentences state numbers the answer does not use. The
// trace narrates each operation in a sentence with its claim ("12 * 8 = 96 apples"), so every step is checked, and
// the expression, built beside the story, is what the answer is the value of. Every quantity stays a positive whole.
using System.Text;
using Reasoner.Math.Families;

namespace Reasoner.Math.WordProblems;

public static class WordProblemWriter
{
    private static readonly (string Name, bool She)[] People =
    [
        ("Maya", true), ("Liam", false), ("Ava", true), ("Noah", false), ("Zoe", true), ("Omar", false), ("Lena", true), ("Ravi", false),
        ("Sofia", true), ("Tom", false), ("Amara", true), ("Diego", false), ("Hana", true), ("Felix", false), ("Nia", true), ("Kenji", false),
    ];

    private static readonly string[] Things = ["apples", "marbles", "stickers", "pencils", "books", "cookies", "stamps", "shells", "cards", "beads"];

    private static readonly string[] Goods = ["toys", "cups", "bottles", "bricks", "candles", "boxes"];

    private static readonly string[] Purchases = ["a book", "lunch", "a ticket", "a scarf", "a game", "a plant"];

    private static readonly (string Word, int Denominator)[] Fractions = [("half", 2), ("a third", 3), ("a quarter", 4), ("a fifth", 5)];

    private const long Largest = 100_000; // quantities a story can hold

    public static DrawnProblem? Draw(WordProblemSpec spec, Random random)
    {
        int target = spec.Operations.Sample(random);
        for (int attempt = 0; attempt < 50; attempt++)
        {
            if (TryWrite(spec, target, random) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private sealed class Story(WordProblemSpec spec, Random random)
    {
        public readonly List<string> Sentences = [];
        public readonly StringBuilder Trace = new();
        public long Value;
        public string Expression = string.Empty;
        public int Operations;
        public string Unit = string.Empty;
        public bool Money;

        public long Number() => spec.Numbers.Sample(random);

        public WordProblemSpec Spec => spec;

        public void Say(string sentence) => Sentences.Add(sentence);

        public void Think(string line) => Trace.AppendLine(line);

        /// <summary>Applies one operation with a stated number; false when the result leaves the positive whole numbers.</summary>
        public bool Apply(char op, long n, out string claim)
        {
            long result = op switch { '+' => Value + n, '-' => Value - n, '*' => Value * n, _ => n != 0 && Value % n == 0 ? Value / n : -1 };
            claim = $"{Value} {op} {n} = {result}";
            if (result <= 0 || result > Largest)
            {
                return false;
            }

            Expression = $"{Group(Expression)} {op} {n}";
            Value = result;
            Operations++;
            return true;
        }

        public string Amount(long value) => Money ? $"${value}" : $"{value} {Unit}";
    }

    private static string Group(string expression) => expression.Contains(' ', StringComparison.Ordinal) ? $"({expression})" : expression;

    private static DrawnProblem? TryWrite(WordProblemSpec spec, int target, Random random)
    {
        var story = new Story(spec, random);
        var people = People.OrderBy(_ => random.Next()).ToArray();
        var (owner, she) = people[0];
        var friend = people[1].Name;
        string pronoun = she ? "she" : "he", possessive = she ? "her" : "his";
        int scenario = random.Next(target <= 4 ? 5 : 4); // an ages chain names a new person per step: short ones only
        if (scenario == 4)
        {
            return Ages(story, people, target, random);
        }

        if (!Open(story, scenario, owner, pronoun, target, random))
        {
            return null;
        }

        bool terminal = false;
        string question = story.Money ? $"How much money does {owner} have now?" : $"How many {story.Unit} does {owner} have now?";
        while (story.Operations < target)
        {
            int left = target - story.Operations;
            if (left == 1 && random.Next(3) == 0)
            {
                terminal = true;
                question = Final(story, owner, people[2].Name, random);
                if (question.Length == 0)
                {
                    return null;
                }

                break;
            }

            if (!Step(story, owner, pronoun, possessive, friend, left, random))
            {
                return null;
            }
        }

        if (!terminal)
        {
            story.Think($"So {owner} has {story.Amount(story.Value)} now.");
        }

        Distract(story, spec, people[2].Name, random);
        story.Say(question);
        return Finish(story);
    }

    /// <summary>The opening: a count, packs x items, hours x pay, a machine's rate x time, or a garden's area x plants per square meter.</summary>
    private static bool Open(Story story, int scenario, string owner, string pronoun, int target, Random random)
    {
        long n = story.Number(), k = story.Number();
        switch (scenario)
        {
            case 0 when random.Next(2) == 0:
                story.Unit = Things[random.Next(Things.Length)];
                story.Value = n;
                story.Expression = $"{n}";
                story.Say($"{owner} has {n} {story.Unit}.");
                story.Think($"{owner} starts with {n} {story.Unit}.");
                return true;
            case 0:
                story.Unit = Things[random.Next(Things.Length)];
                (story.Value, story.Expression) = (n, $"{n}");
                story.Say($"{owner} buys {n} packs of {story.Unit} with {k} {story.Unit} in each pack.");
                return story.Apply('*', k, out var packs) && Think(story, $"{n} packs of {k} {story.Unit} each: {packs} {story.Unit}.");
            case 1 when random.Next(2) == 0:
                story.Money = true;
                (story.Value, story.Expression) = (n, $"{n}");
                story.Say($"{owner} works {n} hours and earns ${k} an hour.");
                return story.Apply('*', k, out var pay) && Think(story, $"{n} hours at ${k} an hour: {pay} dollars.");
            case 1:
                story.Money = true;
                (story.Value, story.Expression) = (n, $"{n}");
                story.Say($"{owner} saves ${k} a week for {n} weeks.");
                return story.Apply('*', k, out var saved) && Think(story, $"{n} weeks at ${k} a week: {saved} dollars.");
            case 2:
                story.Unit = Goods[random.Next(Goods.Length)];
                (story.Value, story.Expression) = (k, $"{k}");
                story.Say($"{owner}'s machine makes {k} {story.Unit} an hour, and it runs for {n} hours.");
                return story.Apply('*', n, out var made) && Think(story, $"{k} {story.Unit} an hour for {n} hours: {made} {story.Unit}.");
            default:
                if (target < 2)
                {
                    return false;
                }

                long plants = System.Math.Min(story.Number(), 12);
                story.Unit = "flowers";
                (story.Value, story.Expression) = (n, $"{n}");
                story.Say($"{owner}'s garden is a rectangle {n} meters long and {k} meters wide, and {pronoun} plants {plants} flowers on each square meter.");
                return story.Apply('*', k, out var area) && Think(story, $"The garden's area is {area} square meters.")
                    && story.Apply('*', plants, out var flowers) && Think(story, $"{plants} flowers on each of them: {flowers} flowers.");
        }
    }

    private static bool Think(Story story, string line)
    {
        story.Think(line);
        return true;
    }

    /// <summary>One step of one or two operations that fits in <paramref name="left"/>.</summary>
    private static bool Step(Story story, string owner, string pronoun, string possessive, string friend, int left, Random random)
    {
        long n = story.Number();
        int kinds = left >= 2 ? 7 : 3;
        int kind = random.Next(kinds);
        string u = story.Unit;
        string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
        switch (kind)
        {
            case 0:
                story.Say(story.Money
                    ? random.Next(2) == 0 ? $"{Cap(pronoun)} earns ${n} more." : $"{friend} gives {owner} ${n}."
                    : random.Next(3) switch { 0 => $"{Cap(pronoun)} buys {n} more {u}.", 1 => $"{friend} gives {owner} {n} {u}.", _ => $"{Cap(pronoun)} finds {n} more {u}." });
                return story.Apply('+', n, out var add) && Think(story, $"{n} more: {add} {(story.Money ? "dollars" : u)}.");
            case 1:
                n = System.Math.Min(n, story.Value - 1);
                story.Say(story.Money
                    ? $"{Cap(pronoun)} spends ${n} on {Purchases[random.Next(Purchases.Length)]}."
                    : random.Next(3) switch { 0 => $"{Cap(pronoun)} gives {n} {u} to {friend}.", 1 => $"{Cap(pronoun)} sells {n} of the {u}.", _ => $"{Cap(pronoun)} loses {n} {u}." });
                return n > 0 && story.Apply('-', n, out var take) && Think(story, $"{n} fewer: {take} {(story.Money ? "dollars" : u)}.");
            case 2:
                long times = random.Next(2, 4);
                story.Say(story.Money
                    ? $"A month later {pronoun} has {(times == 2 ? "twice" : "three times")} as much money."
                    : $"A month later {pronoun} has {(times == 2 ? "twice" : "three times")} as many {u}.");
                return story.Apply('*', times, out var grow) && Think(story, $"{(times == 2 ? "Twice" : "Three times")} as many: {grow} {(story.Money ? "dollars" : u)}.");
            case 3:
                long each = System.Math.Max(2, story.Number() / 4);
                var before = story.Value;
                story.Say(story.Money
                    ? $"{Cap(pronoun)} buys {n} {Goods[random.Next(Goods.Length)]} at ${each} each."
                    : $"{Cap(pronoun)} buys {n} more bags of {u} with {each} {u} in each bag.");
                var savedExpression = story.Expression;
                (story.Value, story.Expression) = (n, $"{n}");
                if (!story.Apply('*', each, out var cost))
                {
                    return false;
                }

                var (part, partExpression) = (story.Value, story.Expression);
                story.Think(story.Money ? $"{n} at ${each} each cost {cost} dollars." : $"{n} bags of {each}: {cost} {u}.");
                char op = story.Money ? '-' : '+';
                long result = op == '+' ? before + part : before - part;
                if (result <= 0 || result > Largest)
                {
                    return false;
                }

                (story.Value, story.Expression) = (result, $"{Group(savedExpression)} {op} {Group(partExpression)}");
                story.Operations++;
                story.Think(story.Money ? $"{Cap(possessive)} money goes from {before} to {before} - {part} = {result} dollars." : $"In all {before} + {part} = {result} {u}.");
                return true;
            case 4 or 5 when story.Spec.Parts:
                return Part(story, owner, pronoun, possessive, friend, kind == 4, random);
            default:
                long by = random.Next(2, 4);
                story.Say(story.Money ? $"{Cap(pronoun)} then doubles {possessive} money." : $"{Cap(pronoun)} then {(by == 2 ? "doubles" : "triples")} the number of {u} {pronoun} has.");
                by = story.Money ? 2 : by;
                return story.Apply('*', by, out var more) && Think(story, $"{(by == 2 ? "Doubled" : "Tripled")}: {more} {(story.Money ? "dollars" : u)}.");
        }
    }

    /// <summary>"gives a third of them away" or "sells 25% of them": the part, then what is left (two operations).</summary>
    private static bool Part(Story story, string owner, string pronoun, string possessive, string friend, bool fraction, Random random)
    {
        var before = story.Value;
        var (beforeExpression, u) = (story.Expression, story.Money ? "dollars" : story.Unit);
        string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
        long part;
        string claim;
        string partExpression;
        if (fraction)
        {
            var (word, d) = Fractions[random.Next(Fractions.Length)];
            if (before % d != 0)
            {
                return false;
            }

            part = before / d;
            partExpression = $"1/{d}";
            story.Say(story.Money ? $"{Cap(pronoun)} puts {word} of {possessive} money in the bank." : $"{Cap(pronoun)} gives {word} of {possessive} {u} to {friend}.");
            claim = $"{Cap(word)} of {before} is {before} / {d} = {part}";
        }
        else
        {
            long percent = random.Next(1, 20) * 5;
            if (before * percent % 100 != 0)
            {
                return false;
            }

            part = before * percent / 100;
            partExpression = $"{percent}/100";
            story.Say(story.Money ? $"{Cap(pronoun)} spends {percent}% of {possessive} money on {Purchases[random.Next(Purchases.Length)]}." : $"{Cap(pronoun)} sells {percent}% of {possessive} {u}.");
            claim = $"{percent}% of {before} is {before} * {percent} / 100 = {part}";
        }

        long left = before - part;
        if (part <= 0 || left <= 0)
        {
            return false;
        }

        story.Value = left;
        story.Expression = $"{Group(beforeExpression)} * (1 - {partExpression})"; // what is left: the whole less the part
        story.Operations += 2;
        story.Think($"{claim}, so {before} - {part} = {left} {u} {(left == 1 ? "is" : "are")} left for {owner}.");
        return true;
    }

    /// <summary>A last operation asked as the question: share equally, or compare with someone else's amount.</summary>
    private static string Final(Story story, string owner, string other, Random random)
    {
        string u = story.Money ? "dollars" : story.Unit;
        if (random.Next(2) == 0)
        {
            var divisors = Enumerable.Range(2, 11).Where(d => story.Value % d == 0 && story.Value / d > 1).ToList();
            if (divisors.Count == 0)
            {
                return string.Empty;
            }

            int d = divisors[random.Next(divisors.Count)];
            story.Say(story.Money ? $"{owner} shares the money equally among {d} friends." : $"{owner} shares the {u} equally among {d} friends.");
            if (!story.Apply('/', d, out var share))
            {
                return string.Empty;
            }

            story.Think($"Each friend gets {share} {u}.");
            return story.Money ? "How many dollars does each friend get?" : $"How many {u} does each friend get?";
        }

        long theirs = random.NextInt64(1, story.Value);
        story.Say(story.Money ? $"{other} has ${theirs}." : $"{other} has {theirs} {u}.");
        if (!story.Apply('-', theirs, out var more))
        {
            return string.Empty;
        }

        story.Think($"{owner} has {more} more {u} than {other}.");
        return story.Money ? $"How many more dollars does {owner} have than {other}?" : $"How many more {u} does {owner} have than {other}?";
    }

    /// <summary>Ages: one person's age, and each next person's from the one before (older, younger, twice, half), then a time shift.</summary>
    private static DrawnProblem? Ages(Story story, (string Name, bool She)[] people, int target, Random random)
    {
        story.Unit = "years";
        long start = random.Next(4, 40);
        (story.Value, story.Expression) = (start, $"{start}");
        story.Say($"{people[0].Name} is {start} years old.");
        story.Think($"{people[0].Name} is {start}.");
        var names = people.Select(p => p.Name).ToArray();
        int person = 0;
        while (story.Operations < target)
        {
            var from = names[person];
            var to = names[person + 1];
            long n = random.Next(2, 15);
            bool last = story.Operations == target - 1;
            switch (last && random.Next(2) == 0 ? 4 : random.Next(4))
            {
                case 0:
                    story.Say($"{to} is {n} years older than {from}.");
                    if (!story.Apply('+', n, out var older)) { return null; }
                    story.Think($"{to} is {older}.");
                    break;
                case 1:
                    story.Say($"{to} is {n} years younger than {from}.");
                    if (!story.Apply('-', n, out var younger)) { return null; }
                    story.Think($"{to} is {younger}.");
                    break;
                case 2:
                    story.Say($"{to} is twice as old as {from}.");
                    if (!story.Apply('*', 2, out var twice) || story.Value > 120) { return null; }
                    story.Think($"{to} is {twice}.");
                    break;
                case 3:
                    story.Say($"{to} is half as old as {from}.");
                    if (!story.Apply('/', 2, out var half)) { return null; }
                    story.Think($"{to} is {half}.");
                    break;
                default:
                    story.Say($"How old will {from} be in {n} years?");
                    if (!story.Apply('+', n, out var later)) { return null; }
                    story.Think($"In {n} years {from} will be {later}.");
                    return Finish(story);
            }

            person++;
        }

        story.Say($"How old is {names[person]}?");
        return Finish(story);
    }

    /// <summary>Up to two sentences with numbers the answer does not use, each after a random sentence of the story.</summary>
    private static void Distract(Story story, WordProblemSpec spec, string other, Random random)
    {
        for (int i = 0; i < 2; i++)
        {
            if (random.NextDouble() >= spec.DistractorRate)
            {
                continue;
            }

            long n = story.Number();
            story.Sentences.Insert(random.Next(1, story.Sentences.Count + 1), random.Next(4) switch
            {
                0 => $"{other} is {n} years old.",
                1 => $"The shop is {n} minutes away by bus.",
                2 => $"{other} has {n} {Goods[random.Next(Goods.Length)]}.",
                _ => $"It rained on {n % 28 + 1} days last month.",
            });
        }
    }

    private static DrawnProblem Finish(Story story)
    {
        var prompt = string.Join(' ', story.Sentences);
        return new DrawnProblem(prompt, prompt, story.Trace.ToString().TrimEnd(), $"{story.Value}", Expression: story.Expression);
    }
}
