// reasoner rewrite: a teacher rewrites compiler traces into prose; a rewrite is kept only when the answer, every claim
// and every step of the trace survive. Every RewriteConfig field is a flag (ConfigFlags).
using System.CommandLine;
using Reasoner.Distillation;
using Reasoner.Math.Data;

namespace Reasoner.Cli.Commands;

internal static class RewriteCommand
{
    public static Command Create()
    {
        var flags = new ConfigFlags<RewriteConfig>();
        var shared = new TeacherRun();
        var config = new Option<string?>("--config") { Description = "A RewriteConfig JSON file; flags beside it override its fields." };
        var command = new Command("rewrite", "Have a teacher rewrite compiler traces as prose; keep a rewrite only if its answer, every claim and every step of the trace survive. `reasoner rewrite --help` shows the default prompt (under --prompt).") { config };
        foreach (var option in flags.Options.Concat(shared.Options))
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliRunner.Run(() =>
        {
            var start = result.GetValue(config) is { } file ? ConfigFlags<RewriteConfig>.Load(file) : new RewriteConfig();
            var settings = flags.Apply(result, start).Validate();
            settings = settings with { In = Path.GetFullPath(settings.In), Prompt = settings.Prompt is { } p ? Path.GetFullPath(p) : null };
            var output = result.GetValue(shared.Out)!;
            var traces = DatasetReader.Read(settings.In, exactAnswers: true).ToList();
            if (traces.FirstOrDefault(t => t.Completion.Length == 0 || t.Answer.Length == 0) is { } bare)
            {
                throw new InvalidDataException($"{settings.In}: row '{bare.Id}' has no completion or no gold answer; rewrite takes a file from `reasoner generate`");
            }

            if (traces.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new InvalidDataException($"{settings.In}: id '{twice.Key}' appears twice; ids must be unique for a run to resume");
            }

            var card = TeacherRun.DiscardIfNothingDone(output, () => shared.Execute(result, "rewrite", traces.Count, settings.Teacher, settings.TeacherModel, settings.Concurrency, settings.TimeoutSeconds, settings.Retries,
                (teacher, path, report) => Rewriter.RunAsync(settings, traces, teacher, path, report)));
            Console.WriteLine(TeacherRun.Summary(card, output));
            return 0;
        }));
        return command;
    }
}
