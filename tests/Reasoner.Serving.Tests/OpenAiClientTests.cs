using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;

namespace Reasoner.Serving.Tests;

/// <summary>
/// A real `reasoner serve` process on a free port, and the official OpenAI .NET SDK (2.15.0) as its client: a chat, a
/// stream, n = 4 (through the SDK's protocol method: its typed options have no n), a seeded sample reproduced, a wrong
/// key refused; then SIGTERM with a request in flight, which still completes, and exit code 0.
/// </summary>
public sealed class OpenAiClientTests
{
    private const string Key = "sk-reasoner-test-0123456789";

    [Fact]
    [Trait("Category", "Slow")]
    public async Task The_official_openai_client_chats_streams_samples_and_the_server_stops_cleanly_on_sigterm()
    {
        using var server = ServeProcess.Start("--model", $"taught={TestModels.TaughtPath}", "--model", $"noise={TestModels.NoisePath}", "--api-key", Key);
        var options = new OpenAIClientOptions { Endpoint = new Uri(server.Address + "/v1") };
        var chat = new ChatClient("taught", new ApiKeyCredential(Key), options);

        ChatCompletion completion = chat.CompleteChat([new UserChatMessage("12 + 7")], new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 80 });
        Assert.Equal(TestModels.Taught[1].Completion, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.OutputTokenCount > 0 && completion.Usage.InputTokenCount > 0);

        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        foreach (var update in chat.CompleteChatStreaming([new UserChatMessage("3 + 4")], new ChatCompletionOptions { Temperature = 0f }))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(TestModels.Taught[0].Completion, streamed.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);

        var noise = new ChatClient("noise", new ApiKeyCredential(Key), options);
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK
        var seeded = new ChatCompletionOptions { Temperature = 1f, Seed = 1234, MaxOutputTokenCount = 30 };
#pragma warning restore OPENAI001
        var once = noise.CompleteChat([new UserChatMessage("hello")], seeded).Value.Content[0].Text;
        Assert.Equal(once, noise.CompleteChat([new UserChatMessage("hello")], seeded).Value.Content[0].Text);

        var body = BinaryContent.Create(BinaryData.FromString("""{"model":"noise","messages":[{"role":"user","content":"hello"}],"n":4,"temperature":1,"seed":7,"max_tokens":20}"""));
        var raw = JsonNode.Parse(noise.CompleteChat(body, new RequestOptions()).GetRawResponse().Content.ToString())!;
        var choices = raw["choices"]!.AsArray();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c!["index"]!.GetValue<int>()).Order());
        Assert.True(choices.Select(c => c!["message"]!["content"]!.GetValue<string>()).Distinct().Count() > 1);

        var wrong = new ChatClient("taught", new ApiKeyCredential("sk-wrong-key-000000"), options);
        Assert.Equal(401, Assert.Throws<ClientResultException>(() => wrong.CompleteChat([new UserChatMessage("3 + 4")])).Status);

        // SIGTERM while a stream is running: the stream still ends properly, and the process exits 0.
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = Task.Run(() =>
        {
            ChatFinishReason? reason = null;
            int updates = 0;
            foreach (var update in noise.CompleteChatStreaming([new UserChatMessage("x")], new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 250 }))
            {
                if (++updates == 2)
                {
                    streaming.TrySetResult();
                    Thread.Sleep(100); // SIGTERM arrives while this stream is open
                }

                reason ??= update.FinishReason;
            }

            return reason;
        });
        await streaming.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(60)));
        Assert.NotNull(await inFlight); // the stream ended with a finish_reason, not a broken connection
        Assert.Contains("stopped", server.Output + "\n", StringComparison.Ordinal);
    }
}
