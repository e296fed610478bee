// reasoner generate: writes a verified JSONL dataset and its card. Every GenerateConfig field is a flag (ConfigFlags);
// --config FILE takes a config, or a dataset card (its "config"), so a card regenerates its own file.
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Math.Numbers;

namespace Reasoner.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var flags = new ConfigFlags<GenerateConfig>(new Dictionary<string, string[]> { ["preset"] = ["-p"], ["count"] = ["-n"] });
        var output = new Option<string>("--out", "-o") { Description = "Output JSONL file; the card goes beside it as NAME.card.json.", Required = true };
        var mixed = new Option<bool>("--mixed-fractions") { Description = "Same as --answer-fractions mixed: non-terminating answers as mixed numbers (1 7/12)." };
        var config = new Option<string?>("--config") { Description = "A GenerateConfig JSON file or a dataset card (NAME.card.json); flags beside it override its fields." };
        var json = new Option<bool>("--json") { Description = "Print the dataset card as JSON instead of a summary line." };
        var command = new Command("generate", "Generate arithmetic problems with exact, verified chain of thought as JSONL.") { output, mixed, config, json };
        foreach (var option in flags.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliRunner.Run(() =>
        {
            var start = result.GetValue(config) is { } file ? FromFileOrCard(file) : new GenerateConfig();
            var settings = flags.Apply(result, start);
            if (result.GetValue(mixed))
            {
                settings = settings with { AnswerFractions = FractionStyle.Mixed };
            }

            settings = settings.Validate();
            var path = result.GetValue(output)!;
            var card = ProgressDisplay.Run("generate", settings.Count, report => DatasetGenerator.Run(settings, path, report));
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(card, DatasetCard.Json));
            }
            else
            {
                Console.WriteLine($"wrote {card.Count} verified examples to {path} (card: {DatasetCard.PathFor(path)}; {card.RejectedDuplicates} duplicates, {card.RejectedInvalid} invalid draws, {card.RejectedOtherSplit} other-split draws skipped)");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>A dataset card holds its whole config under "config"; anything else is read as a config itself.</summary>
    private static GenerateConfig FromFileOrCard(string path)
    {
        if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonObject { } root && root["format"]?.GetValue<string>() is { } format && format.StartsWith("reasoner-dataset/", StringComparison.Ordinal))
        {
            return root["config"].Deserialize<GenerateConfig>() ?? throw new ArgumentException($"{path}: the card has no config");
        }

        return ConfigFlags<GenerateConfig>.Load(path);
    }
}
