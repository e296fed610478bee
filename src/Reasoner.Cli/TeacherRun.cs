// What distill and rewrite share on the command line: the options that are not part of a run's saved config (the
// teacher's key, a chat template, the in-process batch), opening the teacher, and the progress line with the
// acceptance rate.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Reasoner.Distillation;
using Reasoner.Distillation.Teachers;
using Reasoner.Model.Tokenization;

namespace Reasoner.Cli;

internal sealed class TeacherRun
{
    public Option<string> Out { get; } = new("--out", "-o") { Description = "Output JSONL (TRL conversational rows with provenance). Beside it: NAME.card.json, NAME.rejected.jsonl, NAME.run.json and NAME.progress.jsonl. Run the same command again to continue a stopped run.", Required = true };

    public Option<string?> ApiKey { get; } = new("--teacher-api-key") { Description = $"Bearer key for the teacher's server; also read from ${Teacher.ApiKeyVariable}. Never saved." };

    public Option<string?> Chat { get; } = new("--chat-template") { Description = ChatFormats.OptionHelp + "." };

    public Option<int> MaxBatch { get; } = new("--max-batch") { Description = "Rows decoded together by a checkpoint teacher run in this process.", DefaultValueFactory = _ => 64 };

    public Option<int> Threads { get; } = new("--threads") { Description = "libtorch threads of a checkpoint teacher run in this process (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };

    public IEnumerable<Option> Options => [Out, ApiKey, Chat, MaxBatch, Threads];

    /// <summary>Opens the teacher, runs <paramref name="work"/> over <paramref name="total"/> problems with a progress line, and closes the teacher.</summary>
    public JsonObject Execute(ParseResult result, string title, long total, IReadOnlyList<string> teachers, string? model, int concurrency, double timeoutSeconds, int retries, Func<ITeacher, string, Action<RunProgress>, Task<JsonObject>> work)
    {
        if (result.GetValue(Threads) < 1)
        {
            throw new ArgumentException($"--threads: {result.GetValue(Threads)} is not a thread count; give 1 or more");
        }

        var http = new HttpTeacherOptions { Model = model, ApiKey = result.GetValue(ApiKey), Concurrency = concurrency, Timeout = TimeSpan.FromSeconds(timeoutSeconds), Retries = retries };
        var chat = result.GetValue(Chat) is { } format ? ChatFormats.Named(format) : null;
        var teacher = Teacher.OpenAsync(teachers, http, chat, result.GetValue(MaxBatch), result.GetValue(Threads), line => Console.Error.WriteLine(line)).GetAwaiter().GetResult();
        try
        {
            Console.Error.WriteLine($"{title}: teacher {teacher.Describe}");
            return ProgressDisplay.Run(title, total, report => work(teacher, result.GetValue(Out)!, p => report(p.Done, Status(p))).GetAwaiter().GetResult());
        }
        finally
        {
            teacher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Runs a distill or rewrite pass; when it fails before any problem is done, removes the files it created (the
    /// output, its journal, and the generated problems), so the same command can be run again from scratch.
    /// </summary>
    public static T DiscardIfNothingDone<T>(string output, Func<T> run)
    {
        var stem = Path.ChangeExtension(Path.GetFullPath(output), null);
        var created = new Reasoner.Math.Data.NewPaths([output, Journal.ProgressPath(output), Journal.RejectedPath(output), Journal.RunPath(output),
            Reasoner.Math.Data.DatasetCard.PathFor(output), stem + ".problems.jsonl", Reasoner.Math.Data.DatasetCard.PathFor(stem + ".problems.jsonl")]);
        try
        {
            return run();
        }
        catch
        {
            var progress = Journal.ProgressPath(output);
            if (!File.Exists(progress) || new FileInfo(progress).Length == 0)
            {
                created.Discard();
            }

            throw;
        }
    }

    /// <summary>The card's summary in one line.</summary>
    public static string Summary(JsonObject card, string path) => string.Create(
        CultureInfo.InvariantCulture,
        $"wrote {card["rows"]} rows to {path}: {card["accepted"]} of {card["problems"]} problems accepted ({card["acceptance_rate"]!.GetValue<double>():P1}), {card["samples_accepted"]} of {card["samples"]} samples; rejections {card["rejections"]!.ToJsonString()}; {card["retries"]} retries, {card["malformed_replies"]} malformed replies (card: {Reasoner.Math.Data.DatasetCard.PathFor(path)})");

    public static string Status(RunProgress p) => string.Create(CultureInfo.InvariantCulture, $"accepted {p.AcceptanceRate:P0} of problems, {p.Rows} rows, samples {p.SamplesAccepted}/{p.Samples}");
}
