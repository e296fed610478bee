// Named reward functions combined by weights, as TRL's reward_funcs + reward_weights: a null value is
// skipped (not applicable), the rest are summed with their weights.
namespace Reasoner.Math.Verification;

public sealed record WeightedReward(string Name, RewardFunction Function, double Weight);

public sealed record RewardScore(IReadOnlyDictionary<string, double?> Values, double Total);

public sealed class RewardSet
{
    public const string AccuracyName = "accuracy";
    public const string FormatName = "format";
    public const string StepsName = "steps";
    public const string LengthName = "length";

    public static IReadOnlyList<string> KnownNames { get; } = [AccuracyName, FormatName, StepsName, LengthName];

    public RewardSet(IEnumerable<WeightedReward> rewards)
    {
        Rewards = rewards.ToList();
        if (Rewards.Count == 0)
        {
            throw new ArgumentException("a reward set needs at least one reward function");
        }

        var duplicate = Rewards.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"reward '{duplicate.Key}' is listed twice");
        }
    }

    public IReadOnlyList<WeightedReward> Rewards { get; }

    /// <summary>
    /// Builds a set from "name:weight" pairs, e.g. <c>accuracy:1,format:0.2,steps:0.2</c>.
    /// Unknown names fail with the list of known ones.
    /// </summary>
    public static RewardSet Parse(string spec, VerifierOptions options, int maxChars = 4_096, int bufferChars = 1_024)
    {
        var math = new MathRewards(options);
        var rewards = new List<WeightedReward>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':', 2);
            var name = pieces[0].Trim().ToLowerInvariant();
            double weight = 1.0;
            if (pieces.Length == 2 && !double.TryParse(pieces[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out weight))
            {
                throw new ArgumentException($"reward '{part}': weight '{pieces[1]}' is not a number (write name:weight, e.g. format:0.2)");
            }

            RewardFunction function = name switch
            {
                AccuracyName => math.Accuracy,
                FormatName => math.Format,
                StepsName => math.StepValidity,
                LengthName => MathRewards.Length(maxChars, bufferChars),
                _ => throw new ArgumentException($"unknown reward '{name}'; known rewards: {string.Join(", ", KnownNames)}"),
            };
            rewards.Add(new WeightedReward(name, function, weight));
        }

        return new RewardSet(rewards);
    }

    public RewardScore Score(RewardInput input)
    {
        var values = new Dictionary<string, double?>(Rewards.Count);
        double total = 0;
        foreach (var reward in Rewards)
        {
            var value = reward.Function(input);
            values[reward.Name] = value;
            if (value is { } v)
            {
                total += reward.Weight * v;
            }
        }

        return new RewardScore(values, total);
    }
}
