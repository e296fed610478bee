// Turns the library's clear errors into one readable line and exit code 2, instead of a stack trace.
using Reasoner.Math.Data;
using Reasoner.Math.Expressions;

namespace Reasoner.Cli;

internal static class CliRunner
{
    public const int UsageError = 2;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or ExpressionException or DatasetFormatException or FileNotFoundException or IOException or InvalidOperationException
            or Reasoner.Model.Checkpoints.CheckpointException or Reasoner.Training.Runs.TrainingDivergedException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
    }

    /// <summary>Parses an enum option case-insensitively, ignoring - and _ (dr-grpo, dr_grpo, DrGrpo), naming the accepted values on failure.</summary>
    public static T ParseEnum<T>(string value, string option)
        where T : struct, Enum => (T)ParseEnum(typeof(T), value, option);

    public static object ParseEnum(Type type, string value, string option)
    {
        var normalized = value.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        return Enum.TryParse(type, normalized, ignoreCase: true, out var result) && result is not null && Enum.IsDefined(type, result)
            ? result
            : throw new ArgumentException($"{option}: '{value}' is not one of {string.Join(", ", Enum.GetNames(type).Select(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName))}");
    }
}
