// reasoner distill: rejection sampling from a teacher (server URLs or a checkpoint), every sample judged by the
// verifier, rows kept by policy, resumable. Every DistillConfig field is a flag (ConfigFlags).
using System.CommandLine;
using Reasoner.Distillation;

namespace Reasoner.Cli.Commands;

internal static class DistillCommand
{
    public static Command Create()
    {
        var flags = new ConfigFlags<DistillConfig>(new Dictionary<string, string[]> { ["samples"] = ["-k"], ["preset"] = ["-p"], ["count"] = ["-n"] });
        var shared = new TeacherRun();
        var config = new Option<string?>("--config") { Description = "A DistillConfig JSON file; flags beside it override its fields." };
        var command = new Command("distill", "Sample chain of thought from a teacher and keep only what the verifier accepts (rejection sampling), as TRL JSONL with provenance.") { config };
        foreach (var option in flags.Options.Concat(shared.Options))
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliRunner.Run(() =>
        {
            var start = result.GetValue(config) is { } file ? ConfigFlags<DistillConfig>.Load(file) : new DistillConfig();
            var settings = flags.Apply(result, start).Validate();
            settings = settings with { Data = settings.Data is { } given ? Path.GetFullPath(given) : null };
            var output = result.GetValue(shared.Out)!;
            var card = TeacherRun.DiscardIfNothingDone(output, () =>
            {
                var problems = ProblemSource.Load(settings.Data, settings.Preset, settings.Count, settings.Seed, output);
                return shared.Execute(result, "distill", problems.Count, settings.Teacher, settings.TeacherModel, settings.Concurrency, settings.TimeoutSeconds, settings.Retries,
                    (teacher, path, report) => Distiller.RunAsync(settings, problems, teacher, path, report));
            });
            Console.WriteLine(TeacherRun.Summary(card, output));
            return 0;
        }));
        return command;
    }
}
