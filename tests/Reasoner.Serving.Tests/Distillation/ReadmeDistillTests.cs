using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Math.Tests;

namespace Reasoner.Serving.Tests.Distillation;

/// <summary>
/// The README's serve-then-distill example, its commands read from README.md and run as written against a model of
/// the demo's size (nano, 1,024 positions, trained briefly here on the demo's layout): every problem is asked (the
/// default max_tokens of 1,024 no longer overruns the context), and every kept row verifies.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReadmeDistillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-readme-distill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The README line that starts with the given command, as its words (the comment after # dropped).</summary>
    private static string[] ReadmeCommand(string start)
    {
        var line = File.ReadLines(Path.Combine(RepoPaths.Root, "README.md")).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"README.md has no line starting with '{start}'");
        var command = line.Split('#')[0].Trim().TrimEnd('&').Trim();
        return command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]; // without "reasoner"
    }

    private static bool PortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public void The_readme_serve_and_distill_example_runs_as_written_against_a_nano_model()
    {
        var serve = ReadmeCommand("reasoner serve --model demo/cot");
        var distill = ReadmeCommand("reasoner distill --teacher http://127.0.0.1:8000 --preset add-2d");
        Assert.DoesNotContain("--max-tokens", distill); // the default is what broke

        // A model of the demo's size and layout, trained for a minute on 2-digit sums.
        var data = Path.Combine(_dir, "train.jsonl");
        Assert.Equal(0, ReasonerProcess.Run(["generate", "--preset", "add-2d", "--count", "3000", "--style", "digit", "--compact", "--pad-width", "4", "--out", data]).Code);
        var run = Path.Combine(_dir, "demo", "cot");
        var train = ReasonerProcess.Run(["train", "--data", data, "--model", "nano", "--max-steps", "500", "--batch-tokens", "1024", "--lr", "1e-3", "--out", run]);
        Assert.True(train.Code == 0, train.Error);

        // As written; only the folder, and the port when 8000 is taken on this machine, differ.
        int port = PortFree(8000) ? 8000 : 18000 + Environment.ProcessId % 1000;
        string Place(string arg) => arg.Replace("demo/cot", run, StringComparison.Ordinal).Replace(":8000", $":{port}", StringComparison.Ordinal);
        using var server = ServeProcess.StartAsWritten([.. serve.Select(Place), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var output = Path.Combine(_dir, "d.jsonl");
        var (code, stdout, stderr) = ReasonerProcess.Run([.. distill.Select(Place).Select(a => a == "d.jsonl" ? output : a)]);
        Assert.True(code == 0, stdout + stderr);

        var card = JsonNode.Parse(File.ReadAllText(DatasetCard.PathFor(output)))!;
        Assert.Equal(40, card["problems"]!.GetValue<long>());
        var rejections = card["rejections"]!.AsObject();
        Assert.Null(rejections["request_failed"]);
        Assert.Null(rejections["prompt_too_long"]);
        var rows = DatasetReader.Read(output).ToList();
        Assert.NotEmpty(rows);
        var verify = ReasonerProcess.Run(["verify", output]);
        Assert.True(verify.Code == 0, verify.Output + verify.Error);
    }
}
