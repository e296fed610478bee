// Padded next-token batches, the one builder SFT, pretraining and GRPO share: rows right-padded to the longest,
// inputs are the tokens, targets the next token, and the loss is taken on each row from LossFrom on (the
// completion for SFT and GRPO, every token for pretraining). Right padding keeps positions 0..T-1 for every row,
// so the plain causal forward pass scores each row as if it were alone.
using static TorchSharp.torch;

namespace Reasoner.Training.Batches;

/// <param name="Tokens">Prompt and completion.</param>
/// <param name="LossFrom">Index of the first token whose prediction counts (the prompt length; 0 or 1 for every token).</param>
/// <param name="Counts">False leaves the whole row out of the loss (a truncated rollout under mask_truncated_completions).</param>
public sealed record SequenceRow(IReadOnlyList<int> Tokens, int LossFrom, bool Counts = true);

/// <summary>
/// Inputs and Targets (B, T) as int64, Mask (B, T) as float32 with 1 exactly where the loss is taken; Positions (B, T)
/// where a position-coupled model places them (null: 0..T-1).
/// </summary>
public sealed record NextTokenBatch(Tensor Inputs, Tensor Targets, Tensor Mask, long LossTokens, Tensor? Positions = null) : IDisposable
{
    /// <param name="ignoreTarget">The target where no loss is taken: -100 for cross_entropy's ignore_index, or any valid id when targets are gathered.</param>
    /// <param name="positions">Each row's positions (one per token), or null for 0..T-1; padding takes position 0.</param>
    public static NextTokenBatch Build(IReadOnlyList<SequenceRow> rows, int padId, long ignoreTarget, Func<int, long[]>? positions = null)
    {
        int width = rows.Max(r => r.Tokens.Count) - 1;
        var inputs = new long[rows.Count, width];
        var targets = new long[rows.Count, width];
        var mask = new float[rows.Count, width];
        long counted = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            for (int t = 0; t < width; t++)
            {
                inputs[r, t] = t < row.Tokens.Count ? row.Tokens[t] : padId;
                bool learn = row.Counts && t + 1 < row.Tokens.Count && t + 1 >= row.LossFrom;
                targets[r, t] = learn ? row.Tokens[t + 1] : ignoreTarget;
                mask[r, t] = learn ? 1f : 0f;
                counted += learn ? 1 : 0;
            }
        }

        Tensor? placed = null;
        if (positions is not null)
        {
            var grid = new long[rows.Count, width];
            for (int r = 0; r < rows.Count; r++)
            {
                var row = positions(r);
                for (int t = 0; t < width && t < row.Length; t++)
                {
                    grid[r, t] = row[t];
                }
            }

            placed = tensor(grid);
        }

        return new NextTokenBatch(tensor(inputs), tensor(targets), tensor(mask), counted, placed);
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Mask.Dispose();
        Positions?.Dispose();
    }
}
