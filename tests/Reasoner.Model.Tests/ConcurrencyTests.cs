using Reasoner.Model.Network;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// Two models trained on two threads while a third thread forces garbage collections: a TorchSharp Scalar
/// made on the fly (an implicit conversion, or one TorchSharp makes inside add/square) can be finalized while
/// libtorch still reads it, which failed the all-stages demo with "toFloat: Expected false to be true".
/// Before HeldScalars this failed in 3 of 4 runs; <see cref="ScalarLifetimeTests"/> is the deterministic guard.
/// </summary>
[Collection(nameof(ConcurrencyTests))]
public sealed class ConcurrencyTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Two_models_train_on_two_threads_while_the_collector_runs_finalizers()
    {
        bool done = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var workers = Enumerable.Range(0, 2).Select(seed => new Thread(() =>
        {
            try
            {
                Train(seed);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToList();
        collector.Start();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Volatile.Write(ref done, true);
        collector.Join();
        Assert.Empty(errors);
    }

    private static void Train(int seed)
    {
        var model = ModelTests.Tiny(seed: seed);
        var ids = randint(0, model.Config.VocabSize, [1, 4], dtype: ScalarType.Int64);
        for (int step = 0; step < 3000; step++)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(ids);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), ids.reshape(-1));
            loss.backward();
            model.zero_grad();
        }
    }
}

/// <summary>Runs alone: its collector thread stops every other thread hundreds of times a second.</summary>
[CollectionDefinition(nameof(ConcurrencyTests), DisableParallelization = true)]
public sealed class ConcurrencyCollection;
