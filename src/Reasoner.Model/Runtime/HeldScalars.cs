// TorchSharp frees a Scalar in its finalizer. A Scalar made on the fly (an implicit conversion from a number,
// or the alpha = 1 that Tensor.add and Tensor.square make inside TorchSharp) is unreachable as soon as its
// handle has been passed to libtorch, so a collection started by another thread can free it while libtorch
// still reads it: "toFloat: Expected false to be true", seen with two trainings in one process and with
// tests running in parallel. Torch code in this project holds every Scalar it passes (a field, a static or a
// `using` local) and adds through these helpers; ScalarLifetimeTests checks the compiled IL for both rules.
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Model.Runtime;

public static class HeldScalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar MinusOne = (-1).ToScalar();

    /// <summary>a + b with a held alpha (Tensor + Tensor makes its alpha on the fly).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + s for a held scalar s.</summary>
    public static Tensor Plus(this Tensor a, Scalar s) => a.add(s, One);

    /// <summary>a += b in place with a held alpha.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a += s in place for a held scalar s.</summary>
    public static Tensor PlusInPlace(this Tensor a, Scalar s) => a.add_(s, One);

    /// <summary>a * a (Tensor.square makes its exponent on the fly).</summary>
    public static Tensor Squared(this Tensor a) => a.mul(a);
}
