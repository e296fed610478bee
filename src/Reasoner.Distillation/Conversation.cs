// A row's conversation in TRL's shape: an optional system turn, the user's question, the assistant's completion.
using System.Text.Json.Nodes;

namespace Reasoner.Distillation;

public static class Conversation
{
    public static JsonArray Messages(string? system, string prompt, string completion)
    {
        var messages = new JsonArray();
        if (system is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = prompt });
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = completion });
        return messages;
    }
}
