// libtorch's thread count and its default random generator are process-wide. Tests that compare two training runs
// bit for bit (a resumed run against an uninterrupted one), or seeded weights against a recorded hash, run alone:
// another test setting the thread count in parallel changes how a matmul splits its sums, and one seeding the
// generator changes an initial draw, either of which makes two correct runs differ in the last bit.
namespace Reasoner.Model.Tests;

[CollectionDefinition(nameof(ProcessWideTorchState), DisableParallelization = true)]
public sealed class ProcessWideTorchState;
