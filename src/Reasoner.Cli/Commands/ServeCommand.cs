// reasoner serve: an OpenAI-compatible server (chat and text completions, streaming, n, seed, logprobs) that decodes
// all concurrent requests in one batch, with the playground at / and run folders at /runs. Loopback by default.
using System.CommandLine;
using Reasoner.Model.Runtime;
using Reasoner.Model.Tokenization;
using Reasoner.Serving;
using Reasoner.Serving.Engine;
using static TorchSharp.torch;

namespace Reasoner.Cli.Commands;

internal static class ServeCommand
{
    public const string KeyVariable = "REASONER_API_KEY";

    public static Command Create()
    {
        var d = new ServeOptions();
        var models = new Option<string[]>("--model", "-m") { Description = "A run folder, checkpoint, LoRA run or Hugging Face folder; NAME=PATH names it in the API. Repeat to serve several.", AllowMultipleArgumentsPerToken = false };
        var rewards = new Option<bool>("--rewards") { Description = "Serve only the verifier as a reward service, POST /v1/rewards, with no model (for TRL and verl: python/reasoner_rewards.py). The endpoint is also there next to served models." };
        var maxRewardBatch = new Option<int>("--max-reward-batch") { Description = "Most completions one /v1/rewards request may score.", DefaultValueFactory = _ => d.MaxRewardBatch };
        var host = new Option<string>("--host") { Description = "Address to bind. Anything but loopback needs --api-key or --insecure.", DefaultValueFactory = _ => d.Host };
        var port = new Option<int>("--port") { Description = "Port; 0 picks a free one (printed).", DefaultValueFactory = _ => d.Port };
        var key = new Option<string?>("--api-key") { Description = $"Clients must send 'Authorization: Bearer KEY'. Also read from ${KeyVariable}, which keeps it out of the process list." };
        var insecure = new Option<bool>("--insecure") { Description = "Allow a non-loopback --host without an API key." };
        var maxBatch = new Option<int>("--max-batch") { Description = "Choices decoded together per model.", DefaultValueFactory = _ => d.MaxBatch };
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests waiting per model before 429 with Retry-After.", DefaultValueFactory = _ => d.MaxQueue };
        var maxTokens = new Option<int>("--max-tokens-cap") { Description = "Largest max_tokens a request may ask for.", DefaultValueFactory = _ => d.MaxTokensCap };
        var maxN = new Option<int>("--max-n") { Description = "Largest n a request may ask for.", DefaultValueFactory = _ => d.MaxN };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body (413 above it).", DefaultValueFactory = _ => d.MaxBodyBytes };
        var grace = new Option<double>("--shutdown-grace") { Description = "Seconds running requests may continue after SIGTERM before they end with finish_reason \"length\".", DefaultValueFactory = _ => d.ShutdownGrace.TotalSeconds };
        var runs = new Option<string?>("--runs") { Description = "A folder of run folders to show at /runs (read only)." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads for generation (default: all cores but one, which serves HTTP).", DefaultValueFactory = _ => d.Threads };
        var chat = new Option<string?>("--chat-template") { Description = ChatFormats.OptionHelp + "." };
        var command = new Command("serve", "Serve models over an OpenAI-compatible API, with a browser playground, and the verifier's rewards at /v1/rewards.")
        {
            models, rewards, host, port, key, insecure, maxRewardBatch, maxBatch, maxQueue, maxTokens, maxN, maxBody, grace, runs, threads, chat,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var options = new ServeOptions
            {
                Models = result.GetValue(models) ?? [], Host = result.GetValue(host)!, Port = result.GetValue(port),
                ApiKey = result.GetValue(key) ?? (Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null),
                Insecure = result.GetValue(insecure), MaxBatch = result.GetValue(maxBatch), MaxQueue = result.GetValue(maxQueue), MaxTokensCap = result.GetValue(maxTokens),
                MaxN = result.GetValue(maxN), MaxBodyBytes = result.GetValue(maxBody), ShutdownGrace = TimeSpan.FromSeconds(result.GetValue(grace)),
                RunsRoot = result.GetValue(runs), Threads = result.GetValue(threads), RewardsOnly = result.GetValue(rewards), MaxRewardBatch = result.GetValue(maxRewardBatch),
            }.Validate();
            TorchRuntime.EnsureLoaded();
            set_num_threads(options.Threads);
            var limits = new EngineLimits { MaxBatch = options.MaxBatch, MaxQueue = options.MaxQueue };
            var served = ModelLoader.Load(options.Models, result.GetValue(chat) is { } format ? ChatFormats.Named(format) : null, limits);
            try
            {
                foreach (var m in served)
                {
                    Console.WriteLine($"loaded {m.Name}: {m.Model.Config.ModelType}, {m.Model.ParameterCount:N0} parameters, context {m.Engine.ContextLength}, chat format {m.Tokenizer.Chat.Name} ({m.Path})");
                }

                ReasonerServer.Run(new ServerState(options, served), address =>
                {
                    Console.WriteLine(options.RewardsOnly
                        ? $"serving on {address}/v1/rewards (the verifier's rewards; no model){(options.ApiKey is null ? string.Empty : ", API key required")}"
                        : $"serving on {address}/v1 (OpenAI API){(options.ApiKey is null ? string.Empty : ", API key required")}; playground at {address}/{(options.RunsRoot is null ? string.Empty : $", runs at {address}/runs")}; rewards at {address}/v1/rewards");
                    Console.WriteLine("stop with Ctrl+C or SIGTERM: running requests finish first");
                });
                Console.WriteLine("stopped");
                return 0;
            }
            finally
            {
                foreach (var m in served)
                {
                    m.Dispose();
                }
            }
        }));
        return command;
    }
}
