// Tokenized training rows and length-bucketed batches: rows of similar length share a batch, so padding
// wastes little CPU. The batch order is a pure function of (seed, epoch), so a resumed run sees the same data.
using Reasoner.Math.Data;
using Reasoner.Model.Generation;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Batches;

namespace Reasoner.Training.Sft;

public sealed record TokenizedRow(int[] Tokens, int PromptLength, string Difficulty);

public sealed class SftData
{
    private const int BucketSpan = 64; // rows sorted together before being cut into batches

    private SftData(List<TokenizedRow> rows, int dropped)
    {
        Rows = rows;
        DroppedTooLong = dropped;
    }

    public IReadOnlyList<TokenizedRow> Rows { get; }

    public int DroppedTooLong { get; }

    /// <param name="mix">Replay data, FILE:SHARE each (<see cref="ReplayMix"/>), drawn with <paramref name="seed"/>.</param>
    public static SftData Load(string path, ITokenizer tokenizer, int maxSeqLen, IReadOnlyList<string>? mix = null, long seed = 0)
    {
        var rows = new List<TokenizedRow>();
        int dropped = 0;
        var main = DatasetReader.Read(path).ToList();
        foreach (var record in main.Concat((mix ?? []).SelectMany(m => ReplayMix.Draw(m, main.Count, seed))))
        {
            var prompt = tokenizer.Chat.Prompt(tokenizer, record.Prompt, record.System);
            var completion = tokenizer.Chat.Completion(tokenizer, record.Completion);
            if (prompt.Count + completion.Count > maxSeqLen)
            {
                dropped++;
                continue;
            }

            rows.Add(new TokenizedRow([.. prompt, .. completion], prompt.Count, record.Difficulty));
        }

        if (main.Count == 0)
        {
            throw new ArgumentException($"{path}: the file holds no rows; give a JSONL dataset with at least one row (from `reasoner generate` or `reasoner distill`)");
        }

        if (rows.Count == 0)
        {
            throw new ArgumentException($"{path}: no rows fit in max_seq_len {maxSeqLen} ({dropped} were longer)");
        }

        return new SftData(rows, dropped);
    }

    /// <summary>Batches of row indices for one epoch: shuffle, sort within spans of similar length, cut by token budget, shuffle batches.</summary>
    public List<int[]> Batches(long seed, int epoch, int batchTokens)
    {
        var random = new Random((int)((seed * 1_000_003 + epoch) & int.MaxValue));
        var order = Enumerable.Range(0, Rows.Count).OrderBy(_ => random.Next()).ToArray();
        var batches = new List<int[]>();
        for (int start = 0; start < order.Length; start += BucketSpan * 16)
        {
            var bucket = order.Skip(start).Take(BucketSpan * 16).OrderBy(i => Rows[i].Tokens.Length).ToList();
            var current = new List<int>();
            int longest = 0;
            foreach (var index in bucket)
            {
                int length = Rows[index].Tokens.Length - 1;
                if (current.Count > 0 && System.Math.Max(longest, length) * (current.Count + 1) > batchTokens)
                {
                    batches.Add([.. current]);
                    current.Clear();
                    longest = 0;
                }

                current.Add(index);
                longest = System.Math.Max(longest, length);
            }

            if (current.Count > 0)
            {
                batches.Add([.. current]);
            }
        }

        return batches.OrderBy(_ => random.Next()).ToList();
    }

    /// <summary>
    /// One padded batch: the loss on the completion (SFT) or on every next token (pretraining); targets are -100
    /// (cross_entropy's ignore_index) where no loss is taken.
    /// </summary>
    /// <param name="coupling">A position-coupled model's scheme: each row's positions, its grid shifted by a draw of <paramref name="offsetSeed"/> and the row (within max_position_embeddings).</param>
    public NextTokenBatch Tensors(int[] batch, TrainMode mode, int padId, PositionCoupling? coupling = null, long offsetSeed = 0) =>
        NextTokenBatch.Build(
            batch.Select(i => new SequenceRow(Rows[i].Tokens, mode == TrainMode.Pretrain ? 0 : Rows[i].PromptLength)).ToList(), padId, ignoreTarget: -100,
            coupling is null ? null : r => coupling.TrainingSequence(Rows[batch[r]].Tokens, Rows[batch[r]].PromptLength, TextGenerator.RowRandom(offsetSeed, batch[r])));
}
