// One sequence in a decode batch: its prompt, how its tokens are chosen (greedy, or sampled with its own seeded
// Random, so its text does not depend on what else is decoded beside it), and where it stands.
namespace Reasoner.Model.Generation;

public class DecodeRow(IReadOnlyList<int> prompt, double temperature, int topK, double topP, Random random)
{
    /// <summary>The prompt's token ids; rows that join together holding the same list object share one prefill row.</summary>
    public IReadOnlyList<int> Prompt { get; } = prompt;

    /// <summary>0 is greedy (argmax).</summary>
    public double Temperature { get; } = temperature;

    /// <summary>Keep only the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; } = topK;

    /// <summary>Keep the smallest set of tokens whose probability reaches p; 1 keeps all.</summary>
    public double TopP { get; } = topP;

    public Random Random { get; } = random;

    /// <summary>The position of <see cref="Pending"/> in this row's own sequence (the prompt's length after the prefill).</summary>
    public long Position { get; internal set; }

    /// <summary>A position-coupled model's placement of this row's tokens; null for positions 0, 1, 2, ...</summary>
    internal PositionCoupling.Track? Coupled { get; set; }

    /// <summary>The token chosen last, fed at the next step.</summary>
    public int Pending { get; internal set; }

    /// <summary>Set by the caller when the row is finished; it leaves the batch at the next compaction.</summary>
    public bool Done { get; set; }
}
