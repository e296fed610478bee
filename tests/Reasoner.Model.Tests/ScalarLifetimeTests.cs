using System.Reflection;
using System.Reflection.Emit;
using Reasoner.Model.Runtime;
using TorchSharp;

namespace Reasoner.Model.Tests;

/// <summary>
/// Reads the compiled IL of the project's torch assemblies for the two rules of <see cref="HeldScalars"/>:
/// no Scalar made on the fly (an implicit conversion, or ToScalar() not stored at once), and no call to a
/// TorchSharp method that makes one inside (found the same way in TorchSharp's own IL, transitively).
/// </summary>
public sealed class ScalarLifetimeTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
    private static readonly Dictionary<short, OpCode> OneByte = [];
    private static readonly Dictionary<short, OpCode> TwoByte = [];

    static ScalarLifetimeTests()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            (code.Size == 1 ? OneByte : TwoByte)[(short)(code.Value & 0xff)] = code;
        }
    }

    [Fact]
    public void The_scanner_finds_the_temporaries_it_is_meant_to_find()
    {
        var hidden = TorchMethodsThatMakeScalars();
        Assert.Contains(typeof(torch.Tensor).GetMethod("add", [typeof(torch.Tensor)])!, hidden);
        Assert.Contains(typeof(torch.Tensor).GetMethod("square", Type.EmptyTypes)!, hidden);
        Assert.DoesNotContain(typeof(torch.Tensor).GetMethod("add", [typeof(torch.Tensor), typeof(Scalar)])!, hidden);

        var offences = Offences(typeof(Samples), hidden);
        Assert.Contains(offences, o => o.Contains(nameof(Samples.Implicit)) && o.Contains("op_Implicit"));
        Assert.Contains(offences, o => o.Contains(nameof(Samples.InlineToScalar)) && o.Contains("not stored"));
        Assert.Contains(offences, o => o.Contains(nameof(Samples.HiddenAlpha)) && o.Contains("op_Addition"));
        Assert.DoesNotContain(offences, o => o.Contains(nameof(Samples.Held)));
    }

    [Fact]
    public void Torch_code_in_the_project_and_its_tests_passes_only_held_scalars()
    {
        var hidden = TorchMethodsThatMakeScalars();
        // The tests too: xunit runs test classes in parallel, so a test's on-the-fly Scalar can fail another test.
        var offences = new[] { typeof(HeldScalars).Assembly, typeof(Training.Grpo.GrpoMath).Assembly, typeof(Cli.Program).Assembly, typeof(Serving.ServedModel).Assembly, typeof(ScalarLifetimeTests).Assembly }
            .SelectMany(LoadableTypes)
            .Where(t => t != typeof(Samples))
            .SelectMany(t => Offences(t, hidden))
            .ToList();
        Assert.True(offences.Count == 0, "Scalars made on the fly (see HeldScalars):\n" + string.Join("\n", offences));
    }

    private static HashSet<MethodBase> TorchMethodsThatMakeScalars()
    {
        var methods = LoadableTypes(typeof(Scalar).Assembly).SelectMany(t => t.GetMethods(Declared)).Where(m => !MakesScalar(m)).ToList();
        var calls = methods.ToDictionary(m => (MethodBase)m, m => Calls(m).Select(c => c.Callee).ToList());
        var hidden = calls.Where(kv => kv.Value.Any(MakesScalar)).Select(kv => kv.Key).ToHashSet();
        for (bool grew = true; grew;)
        {
            var more = calls.Where(kv => !hidden.Contains(kv.Key) && kv.Value.Any(hidden.Contains)).Select(kv => kv.Key).ToList();
            hidden.UnionWith(more);
            grew = more.Count > 0;
        }

        return hidden;
    }

    private static IEnumerable<string> Offences(Type type, HashSet<MethodBase> hidden)
    {
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            foreach (var (callee, next) in Calls(method))
            {
                string where = $"{type.FullName}.{method.Name} calls {callee.DeclaringType?.Name}.{callee.Name}";
                if (MakesScalar(callee) && callee.Name == "op_Implicit")
                {
                    yield return $"{where} (op_Implicit: an implicit number-to-Scalar conversion)";
                }
                else if (MakesScalar(callee) && !IsStore(next))
                {
                    yield return $"{where} (ToScalar result not stored in a field or local)";
                }
                else if (hidden.Contains(callee))
                {
                    yield return $"{where} ({callee.Name} makes a Scalar inside TorchSharp)";
                }
            }
        }
    }

    private static bool IsStore(OpCode? code) =>
        code is { } c && (c == OpCodes.Stfld || c == OpCodes.Stsfld || c == OpCodes.Stloc || c == OpCodes.Stloc_S
            || c == OpCodes.Stloc_0 || c == OpCodes.Stloc_1 || c == OpCodes.Stloc_2 || c == OpCodes.Stloc_3);

    private static bool MakesScalar(MethodBase method)
    {
        try
        {
            return method is MethodInfo info && info.ReturnType == typeof(Scalar) && info.Name is "op_Implicit" or "ToScalar";
        }
        catch (FileNotFoundException)
        {
            return false; // a signature naming an assembly that is not deployed (TorchSharp's optional SkiaSharp)
        }
    }

    /// <summary>Every call or newobj in the method's IL, with the opcode that follows it.</summary>
    private static List<(MethodBase Callee, OpCode? Next)> Calls(MethodBase method)
    {
        var result = new List<(MethodBase, OpCode?)>();
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is FileNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            return result;
        }

        if (il is null)
        {
            return result;
        }

        var type = method.DeclaringType!;
        MethodBase? pending = null;
        for (int i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += code.Size;
            if (pending is not null)
            {
                result.Add((pending, code));
                pending = null;
            }

            if (code == OpCodes.Call || code == OpCodes.Callvirt || code == OpCodes.Newobj)
            {
                try
                {
                    pending = method.Module.ResolveMethod(
                        BitConverter.ToInt32(il, i),
                        type.IsGenericType ? type.GetGenericArguments() : null,
                        method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null);
                }
                catch (Exception e) when (e is ArgumentException or FileNotFoundException or TypeLoadException)
                {
                }
            }

            i += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }

        if (pending is not null)
        {
            result.Add((pending, null));
        }

        return result;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    /// <summary>What the scanner must flag and must not flag.</summary>
    private static class Samples
    {
        private static readonly Scalar Two = 2.ToScalar();

        public static torch.Tensor Implicit(torch.Tensor x) => x.mul(3.0);

        public static torch.Tensor InlineToScalar(torch.Tensor x) => x.mul(3.0.ToScalar());

        public static torch.Tensor HiddenAlpha(torch.Tensor x) => x + x;

        public static torch.Tensor Held(torch.Tensor x)
        {
            using Scalar three = 3.ToScalar();
            return x.mul(three).mul(Two).Plus(x);
        }
    }
}
