// The options every training command shares beside its config flags: --config FILE, --out RUN and --resume RUN,
// and how they combine: a new run starts from the file (or the record's defaults) with the flags applied on top;
// a resumed run takes the config it saved, unchanged.
using System.CommandLine;
using Reasoner.Training.Runs;

namespace Reasoner.Cli;

internal sealed class RunOptions(string kind)
{
    private readonly Option<string?> _config = new("--config") { Description = "A JSON config (a run's config.json shape, TRL field names); flags given beside it override its fields." };
    private readonly Option<string?> _output = new("--out", "-o") { Description = $"Run folder (default runs/{kind}-TIME)." };
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue this run folder from its last checkpoint, with the config it saved." };

    public void AddTo(Command command, IEnumerable<Option> flags)
    {
        foreach (var option in flags.Append(_config).Append(_output).Append(_resume))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The effective config, the run folder, and whether it is a resume.</summary>
    public (T Config, string RunDirectory, bool Resume) Resolve<T>(ParseResult result, ConfigFlags<T> flags)
        where T : class, new()
    {
        if (result.GetValue(_resume) is { } resume)
        {
            if (flags.AnyGiven(result) || result.GetValue(_config) is not null || result.GetValue(_output) is not null)
            {
                throw new ArgumentException($"--resume continues {resume} with the config it saved ({Path.Combine(resume, RunFolder.ConfigFile)}); other options cannot change it. Start a new run with --init-from {resume} instead.");
            }

            return (ConfigFlags<T>.Load(Path.Combine(resume, RunFolder.ConfigFile)), resume, true);
        }

        var start = result.GetValue(_config) is { } file ? ConfigFlags<T>.Load(file) : new T();
        return (flags.Apply(result, start), result.GetValue(_output) ?? RunFolder.NewName(kind), false);
    }
}
