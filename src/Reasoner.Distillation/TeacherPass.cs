// One pass of a teacher over problems, shared by distill and rewrite: the journal (resume, config check), progress,
// the fail-fast guard, problems in flight `concurrency` at a time and written in input order, and the card at the end.
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Distillation.Teachers;
using Reasoner.Math.Data;

namespace Reasoner.Distillation;

internal static class TeacherPass
{
    /// <param name="ask">Asks the teacher about one problem.</param>
    /// <param name="failedOutright">Whether an outcome is a failure of every request (no answer at all), and its last error.</param>
    /// <param name="commit">Writes one problem's outcome through the journal; returns the progress after it.</param>
    public static async Task<JsonObject> RunAsync<TOutcome>(
        string command, object config, int concurrency, IReadOnlyList<DatasetRecord> problems, ITeacher teacher, string outPath, Action<RunProgress> report,
        Func<DatasetRecord, Task<TOutcome>> ask, Func<TOutcome, (bool Failed, string? Detail)> failedOutright, Func<DatasetRecord, TOutcome, Journal, RunProgress, RunProgress> commit)
    {
        var configJson = JsonSerializer.SerializeToNode(config)!.AsObject();
        using var journal = Journal.Open(outPath, configJson, command, Journal.Operational);
        var progress = RunProgress.From(journal, problems.Count);
        report(progress);
        var failFast = new FailFast(System.Math.Min(2 * concurrency, problems.Count - journal.Done.Count));
        await InOrder.RunAsync(
            problems.Where(p => !journal.Done.ContainsKey(p.Id)),
            2 * concurrency,
            ask,
            (problem, outcome) =>
            {
                var (failed, detail) = failedOutright(outcome);
                failFast.Write(failed, detail, () =>
                {
                    progress = commit(problem, outcome, journal, progress);
                    report(progress);
                });
            }).ConfigureAwait(false);
        var card = RunCard.Build(command, configJson, teacher.Describe, journal, teacher.Retries, (teacher as HttpTeacher)?.Malformed ?? 0);
        RunCard.Save(outPath, card);
        return card;
    }
}
