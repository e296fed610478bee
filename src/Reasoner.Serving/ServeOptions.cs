// reasoner serve's settings, with their defaults and the checks that keep the server safe by default: loopback
// unless told otherwise, and a non-loopback address only with an API key or an explicit --insecure.
using System.Net;

namespace Reasoner.Serving;

public sealed record ServeOptions
{
    /// <summary>NAME=PATH or PATH (the name is then the folder's name): run folders, checkpoints or Hugging Face folders.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (printed at start).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>Bearer key every API call must carry; null when none is required.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Allows a non-loopback address without a key.</summary>
    public bool Insecure { get; init; }

    /// <summary>Rows (choices) decoded together per model.</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>Requests waiting to start per model before 429.</summary>
    public int MaxQueue { get; init; } = 256;

    /// <summary>Largest max_tokens a request may ask for.</summary>
    public int MaxTokensCap { get; init; } = 2_048;

    /// <summary>Largest n a request may ask for.</summary>
    public int MaxN { get; init; } = 16;

    /// <summary>Largest request body, in bytes.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>After SIGTERM, how long running requests may continue before they end with finish_reason "length".</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Serve only the verifier's rewards (POST /v1/rewards), with no model loaded.</summary>
    public bool RewardsOnly { get; init; }

    /// <summary>Most completions one /v1/rewards request may score.</summary>
    public int MaxRewardBatch { get; init; } = 4_096;

    /// <summary>Run folders the /runs page lists (read only); null hides it.</summary>
    public string? RunsRoot { get; init; }

    /// <summary>libtorch threads for generation; one core is left to HTTP (on 2 cores, 1 thread served 1.3-1.5x the tokens/s of 2).</summary>
    public int Threads { get; init; } = System.Math.Max(1, Environment.ProcessorCount - 1);

    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    public ServeOptions Validate()
    {
        if (Models.Count == 0 && !RewardsOnly)
        {
            throw new ArgumentException("serve needs at least one --model RUN_OR_HF_FOLDER (or NAME=PATH), or --rewards to serve only the verifier's rewards");
        }

        if (Models.Count > 0 && RewardsOnly)
        {
            throw new ArgumentException("--rewards serves the verifier alone, with no model: drop --model, or drop --rewards (POST /v1/rewards is served next to models too)");
        }

        if (!IsLoopback(Host) && ApiKey is null && !Insecure)
        {
            throw new ArgumentException($"--host {Host} is reachable from other machines: give --api-key KEY (clients send 'Authorization: Bearer KEY'), or --insecure to serve without one");
        }

        if (ApiKey is { Length: < 8 })
        {
            throw new ArgumentException("--api-key must be at least 8 characters");
        }

        if (Port is < 0 or > 65535 || MaxBatch < 1 || MaxQueue < 0 || MaxTokensCap < 1 || MaxN < 1 || MaxBodyBytes < 1024 || Threads < 1 || MaxRewardBatch < 1)
        {
            throw new ArgumentException("serve needs a port in 0..65535, --max-batch >= 1, --max-queue >= 0, --max-tokens-cap >= 1, --max-n >= 1, --max-body-bytes >= 1024, --threads >= 1 and --max-reward-batch >= 1");
        }

        if (RunsRoot is not null && !Directory.Exists(RunsRoot))
        {
            throw new ArgumentException($"--runs {RunsRoot}: no such folder");
        }

        return this;
    }
}
