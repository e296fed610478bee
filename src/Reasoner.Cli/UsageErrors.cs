// A command line that does not parse: the errors first, one per problem (a misspelled flag with its likely meaning,
// not also its value as a second "unrecognized" token), then a one-line pointer to --help, and exit code 2, the code
// of every usage error. System.CommandLine's default printed the whole help after the errors.
using System.CommandLine;
using System.CommandLine.Parsing;

namespace Reasoner.Cli;

internal static class UsageErrors
{
    public static int Report(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        var options = AllOptions(command).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith('-')).Distinct().ToList();
        var tokens = parse.Tokens.Select(t => t.Value).ToList();
        var unmatched = new HashSet<string>(parse.UnmatchedTokens, StringComparer.Ordinal);
        var unknownOptions = new HashSet<string>(unmatched.Where(t => t.StartsWith('-')), StringComparer.Ordinal);
        foreach (var problem in parse.Errors)
        {
            var message = problem.Message;
            var token = Quoted(message);
            if (token is not null && unmatched.Contains(token) && !token.StartsWith('-') && tokens.IndexOf(token) is > 0 and var at && unknownOptions.Contains(tokens[at - 1]))
            {
                continue; // the value of a misspelled flag: the flag's own error says it all
            }

            if (token is not null && unknownOptions.Contains(token) && Closest(token, options) is { } guess)
            {
                message = $"unknown option '{token}'; did you mean {guess}?";
            }

            error.WriteLine($"error: {message.TrimEnd('.')}");
        }

        var name = string.Join(' ', CommandPath(command));
        error.WriteLine($"Run '{name} --help' for the options.");
        return CliRunner.UsageError;
    }

    private static IEnumerable<Option> AllOptions(Command command)
    {
        for (Symbol? s = command; s is Command c; s = c.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in c.Options)
            {
                yield return option;
            }
        }
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c is RootCommand ? "reasoner" : c.Name);
        }

        return names;
    }

    /// <summary>The text between the first pair of single quotes in a parser message, or null.</summary>
    private static string? Quoted(string message)
    {
        int start = message.IndexOf('\'', StringComparison.Ordinal);
        int end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }

    /// <summary>The known option nearest in edit distance, when it is near enough to be a typo.</summary>
    private static string? Closest(string token, IReadOnlyList<string> options) =>
        options.Select(o => (Option: o, Distance: Distance(token, o))).Where(x => x.Distance <= System.Math.Max(2, x.Option.Length / 4)).OrderBy(x => x.Distance).Select(x => x.Option).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = System.Math.Min(System.Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
