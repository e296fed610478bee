// One rollout batch: P prompts x G sampled completions (KV cache, batched), each scored by the reward set.
// Completions that hit max_new_tokens without an end token are marked truncated; the others keep their
// end token, so the policy is also trained on when to stop.
using Reasoner.Math.Verification;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;

namespace Reasoner.Training.Grpo;

public sealed record Rollout(
    GrpoPrompt Prompt,
    IReadOnlyList<int> PromptIds,
    IReadOnlyList<int> CompletionIds,
    string Completion,
    bool Truncated,
    RewardScore Score,
    double? Accuracy,
    float[]? OldLogProbs = null);

public static class Rollouts
{
    public static List<Rollout> Sample(CausalLM model, ITokenizer tokenizer, IReadOnlyList<GrpoPrompt> prompts, GrpoConfig config, RewardSet rewards, MathRewards math, long seed)
    {
        var promptIds = prompts.SelectMany(p => Enumerable.Repeat(tokenizer.Chat.Prompt(tokenizer, p.Question), config.NumGenerations)).ToList();
        var stops = tokenizer.Chat.StopIds(tokenizer);
        var generator = new TextGenerator(model, tokenizer.PadId, stops, tokenizer.VocabSize);
        var outputs = generator.Generate(promptIds, new GenerationOptions
        {
            MaxNewTokens = config.MaxNewTokens, Temperature = config.Temperature, TopK = config.TopK, TopP = config.TopP, Seed = seed,
        });
        var rollouts = new List<Rollout>(outputs.Count);
        for (int i = 0; i < outputs.Count; i++)
        {
            var prompt = prompts[i / config.NumGenerations];
            bool truncated = outputs[i].Count >= config.MaxNewTokens;
            var completion = tokenizer.Decode(outputs[i]);
            var input = RewardInput.ForAnswer(completion, prompt.Answer, prompt.Question);
            var ids = truncated ? outputs[i] : [.. outputs[i], stops[0]]; // trained to close its turn with the end marker
            var score = rewards.Score(input);
            var accuracy = score.Values.TryGetValue(RewardSet.AccuracyName, out var scored) ? scored : math.Accuracy(input); // extract once when accuracy is a reward
            rollouts.Add(new Rollout(prompt, promptIds[i], ids, completion, truncated, score, accuracy));
        }

        return rollouts;
    }
}
