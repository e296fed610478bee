// Entry point of the `reasoner` command: builds the command tree; each command lives in Commands/.
using System.CommandLine;
using Reasoner.Cli.Commands;

namespace Reasoner.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        return parse.Errors.Count > 0 && !WantsHelp(args) ? UsageErrors.Report(parse, Console.Error) : parse.Invoke();
    }

    /// <summary>--help anywhere shows the help, whatever else is wrong with the line.</summary>
    private static bool WantsHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Reasoner: build small reasoning models with exact, verified chain of thought.");
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(PresetsCommand.Create());
        root.Subcommands.Add(SelfCheckCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(GrpoCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(SolveCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DistillCommand.Create());
        root.Subcommands.Add(RewriteCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        return root;
    }
}
