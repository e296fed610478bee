// Reads JSONL datasets in TRL conversational shape (messages, or prompt/completion), plain string prompt/completion, or
// GSM8K's question/answer ("#### N"). A malformed line fails with the file name and line number; so does a gold answer that is
// not an exact number, when the reader scores math (verify, eval, GRPO prompts). Other tasks may carry text answers.
using System.Text.Json;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Data;

public sealed class DatasetFormatException(string path, long line, string reason)
    : FormatException($"{path}:{line}: {reason}")
{
    public string Path { get; } = path;

    public long Line { get; } = line;
}

public static class DatasetReader
{
    /// <param name="exactAnswers">Refuse a row whose 'answer' is present but not an exact number (the verifier scores against it).</param>
    public static IEnumerable<DatasetRecord> Read(string path, bool exactAnswers = false)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"dataset not found: {path}", path);
        }

        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            yield return Parse(text, path, line, exactAnswers);
        }
    }

    public static DatasetRecord Parse(string text, string path, long line, bool exactAnswers = false)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(path, line, $"not valid JSON ({JsonText.Describe(e)})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException(path, line, "expected a JSON object");
            }

            string? system = null, prompt = null, completion = null, gsm8kAnswer = null;
            if (root.TryGetProperty("question", out var question) && question.ValueKind == JsonValueKind.String && !root.TryGetProperty("messages", out _))
            {
                prompt = question.GetString();
                var answerText = Text(root, "answer") ?? throw new DatasetFormatException(path, line, "a GSM8K-shaped row ('question') needs 'answer' ending in a '#### N' line");
                (completion, gsm8kAnswer) = Gsm8kForm.Read(answerText) ?? throw new DatasetFormatException(path, line, "'answer' has no '#### N' line: GSM8K's shape ends the answer with '#### ' and the number");
            }
            else if (root.TryGetProperty("messages", out var messages))
            {
                foreach (var (role, content) in Messages(messages, path, line, "messages"))
                {
                    switch (role)
                    {
                        case "system": system = content; break;
                        case "user": prompt ??= content; break;
                        case "assistant": completion = content; break;
                    }
                }
            }
            else
            {
                (system, prompt) = ReadSide(root, "prompt", path, line, "user");
                (_, completion) = ReadSide(root, "completion", path, line, "assistant");
            }

            if (prompt is null)
            {
                throw new DatasetFormatException(path, line, "no user prompt: expected 'messages' with a user turn, or 'prompt'");
            }

            var answer = gsm8kAnswer ?? Text(root, "answer") ?? string.Empty;
            if (exactAnswers && answer.Length > 0 && !MathRewards.IsGold(answer, out var answerError))
            {
                throw new DatasetFormatException(path, line, $"gold answer: {answerError}; write an exact number (1015, -3/4, 12.875), a system's solution (x = 3, y = 2), or leave 'answer' out");
            }

            return new DatasetRecord(
                Text(root, "id") ?? $"line-{line}",
                system,
                prompt,
                completion ?? string.Empty,
                Text(root, "expression") ?? string.Empty,
                answer,
                Text(root, "difficulty") ?? "unknown",
                root.TryGetProperty("seed", out var seed) && seed.TryGetInt64(out var s) ? s : 0,
                Text(root, "style"),
                Text(root, "split"),
                Text(root, "equation"),
                Text(root, "family"));
        }
    }

    private static (string? System, string? Content) ReadSide(JsonElement root, string name, string path, long line, string role)
    {
        if (!root.TryGetProperty(name, out var side))
        {
            return (null, null);
        }

        if (side.ValueKind == JsonValueKind.String)
        {
            return (null, side.GetString());
        }

        string? system = null, content = null;
        foreach (var (r, c) in Messages(side, path, line, name))
        {
            if (r == "system")
            {
                system = c;
            }
            else if (r == role)
            {
                content = c;
            }
        }

        return (system, content);
    }

    private static IEnumerable<(string Role, string Content)> Messages(JsonElement array, string path, long line, string field)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DatasetFormatException(path, line, $"'{field}' must be a list of {{\"role\", \"content\"}} objects");
        }

        var result = new List<(string, string)>();
        int index = 0;
        foreach (var message in array.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                throw new DatasetFormatException(path, line, $"'{field}[{index}]' needs string 'role' and 'content'");
            }

            result.Add((role.GetString()!, content.GetString()!));
            index++;
        }

        return result;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
