// reasoner presets: lists the difficulty presets, or prints one as JSON.
using System.CommandLine;
using System.Text.Json;
using Reasoner.Math.Families;

namespace Reasoner.Cli.Commands;

internal static class PresetsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "Print this preset's full JSON (optional: without it, list every preset).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("presets", "List the difficulty presets by family (arithmetic: the ladder level-1..level-8 and drills; equations; fractions; word problems); with a name (optional), print that one's JSON.") { name };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var wanted = result.GetValue(name);
            if (wanted is not null)
            {
                foreach (var spec in ProblemFamilies.For(wanted).Resolve(wanted).Distinct())
                {
                    Console.WriteLine(JsonSerializer.Serialize(spec, spec.GetType(), Reasoner.Math.Data.DatasetCard.Json));
                }

                return 0;
            }

            foreach (var family in ProblemFamilies.All.OrderBy(f => f == ProblemFamilies.All[^1] ? 0 : 1))
            {
                Console.WriteLine($"{family.Name} ({family.Summary}):");
                foreach (var (preset, description) in family.PresetList)
                {
                    Console.WriteLine($"  {preset,-15} {description}");
                }
            }

            return 0;
        }));
        return command;
    }
}
