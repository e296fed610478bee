// reasoner presets: lists the difficulty presets, or prints one as JSON.
using System.CommandLine;
using System.Text.Json;
using Reasoner.Math.Problems;

namespace Reasoner.Cli.Commands;

internal static class PresetsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "Print this preset's full JSON (optional: without it, list every preset).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("presets", "List the difficulty presets (the ladder level-1..level-8 and single-operation drills); with a name (optional), print that one's JSON.") { name };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var wanted = result.GetValue(name);
            if (wanted is not null && Reasoner.Math.Equations.EquationSpec.TryResolve(wanted) is { } equations)
            {
                foreach (var spec in equations)
                {
                    Console.WriteLine(JsonSerializer.Serialize(spec, Reasoner.Math.Data.DatasetCard.Json));
                }

                return 0;
            }

            if (wanted is not null)
            {
                foreach (var spec in PresetCatalog.Resolve(wanted))
                {
                    Console.WriteLine(JsonSerializer.Serialize(spec, Reasoner.Math.Data.DatasetCard.Json));
                }

                return 0;
            }

            Console.WriteLine("arithmetic (expressions; --style node|digit|prose):");
            foreach (var spec in PresetCatalog.All.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {spec.Name,-15} {spec.Description}");
            }

            Console.WriteLine("equations (linear, one variable; answers \"x = 8\"):");
            foreach (var spec in Reasoner.Math.Equations.EquationSpec.All.Values)
            {
                Console.WriteLine($"  {spec.Name,-15} {spec.Description}");
            }

            return 0;
        }));
        return command;
    }
}
