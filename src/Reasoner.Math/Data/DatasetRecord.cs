// One dataset row: the TRL conversational shape plus our own fields.
namespace Reasoner.Math.Data;

public enum DatasetShape
{
    /// <summary><c>{"messages": [{"role": "user", …}, {"role": "assistant", …}]}</c></summary>
    Messages,

    /// <summary><c>{"prompt": [{"role": "user", …}], "completion": [{"role": "assistant", …}]}</c></summary>
    PromptCompletion,

    /// <summary><c>{"question": …, "answer": "reasoning\n#### 96"}</c>: GSM8K's shape, for lm-evaluation-harness-style tools.</summary>
    Gsm8k,
}

public sealed record DatasetRecord(
    string Id,
    string? System,
    string Prompt,
    string Completion,
    string Expression,
    string Answer,
    string Difficulty,
    long Seed,
    string? Style = null,
    string? Split = null,
    string? Equation = null,
    string? Family = null)
{
    /// <summary>The row's problem family; arithmetic rows carry no "family" field (nor did equation rows at first).</summary>
    public string FamilyName => Family ?? (Equation is not null ? "equations" : "arithmetic");
}
