// One way to render a conversation into tokens, shared by training, evaluation and serving:
// <|bos|> question <|assistant|> completion <|eos|>. The Jinja text is saved in tokenizer_config.json.
namespace Reasoner.Model.Tokenization;

public static class ChatTemplate
{
    public const string Jinja =
        "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}{{ m['content'] }}<|assistant|>"
        + "{% elif m['role'] == 'assistant' %}{{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}";

    /// <summary>Prompt tokens, ending with the assistant marker the model continues from.</summary>
    public static List<int> Prompt(CharTokenizer tokenizer, string question)
    {
        var ids = new List<int>(question.Length + 2) { tokenizer.BosId };
        ids.AddRange(tokenizer.Encode(question));
        ids.Add(tokenizer.AssistantId);
        return ids;
    }

    /// <summary>Completion tokens, ending with end-of-sequence.</summary>
    public static List<int> Completion(CharTokenizer tokenizer, string completion)
    {
        var ids = tokenizer.Encode(completion);
        ids.Add(tokenizer.EosId);
        return ids;
    }
}
