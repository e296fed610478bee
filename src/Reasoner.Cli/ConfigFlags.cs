// Command-line flags made from a config record: one flag per JSON field that has a [Description] (--max-steps for
// max_steps; a nested object's fields get its name as a prefix, --curriculum-window), with that description as help
// and the record's own default shown beside it, so every default is written once, in the record. Files and flags
// compose as in TRL and Hugging Face: --config FILE is read first, then each flag given on the command line
// overrides its field. What comes out is the effective config, the one a run saves.
using System.CommandLine;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Reasoner.Cli;

internal sealed class ConfigFlags<T>
    where T : class, new()
{
    private static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
    private readonly List<Flag> _flags = [];

    /// <param name="aliases">Extra names by JSON path, e.g. ["learning_rate"] = ["--lr"].</param>
    /// <param name="defaults">The record whose values are shown as defaults (a new T when null).</param>
    public ConfigFlags(IReadOnlyDictionary<string, string[]>? aliases = null, T? defaults = null)
    {
        var shown = JsonSerializer.SerializeToNode(defaults ?? new T())!.AsObject();
        Collect(typeof(T), [], shown, aliases ?? new Dictionary<string, string[]>());
    }

    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>True when any of these flags was typed on the command line.</summary>
    public bool AnyGiven(ParseResult result) => _flags.Any(f => Given(result, f.Option));

    /// <summary><paramref name="start"/> with every flag given on the command line applied.</summary>
    public T Apply(ParseResult result, T start)
    {
        var node = JsonSerializer.SerializeToNode(start)!.AsObject();
        foreach (var flag in _flags.Where(f => Given(result, f.Option)))
        {
            var target = node;
            foreach (var part in flag.Path[..^1])
            {
                target = (target[part] ??= new JsonObject()).AsObject();
            }

            target[flag.Path[^1]] = flag.Option is Option<bool> switchFlag
                ? JsonValue.Create(result.GetValue(switchFlag))
                : Convert(flag, result.GetValue((Option<string>)flag.Option)!);
        }

        try
        {
            return node.Deserialize<T>() ?? throw new ArgumentException("empty configuration");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"bad option value: {e.Message}", e);
        }
    }

    /// <summary>A JSON config file (a run's config.json shape); an unknown field is refused with the file's name.</summary>
    public static T Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"config file not found: {path}", path);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Strict) ?? throw new ArgumentException($"{path}: empty config");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path}: {Reasoner.Math.Data.JsonText.Describe(e)} (field names are those of a run's config.json, e.g. max_steps)", e);
        }
    }

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private void Collect(Type type, string[] prefix, JsonObject shown, IReadOnlyDictionary<string, string[]> aliases)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } name || property.SetMethod is null)
            {
                continue;
            }

            var path = (string[])[.. prefix, name];
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
            if (description is null)
            {
                if (valueType.IsClass && valueType != typeof(string) && !valueType.IsAssignableTo(typeof(System.Collections.IEnumerable)))
                {
                    var nested = shown[name] as JsonObject ?? JsonSerializer.SerializeToNode(Activator.CreateInstance(valueType))!.AsObject();
                    Collect(valueType, path, nested, aliases);
                }

                continue; // no description: not a flag (e.g. a read-only alias for old config files)
            }

            var flagName = "--" + string.Join('-', path).Replace('_', '-');
            var extra = aliases.TryGetValue(string.Join('.', path), out var names) ? names : [];
            var fallback = shown[name];
            var shownDefault = fallback is null ? null : valueType.IsEnum ? JsonNamingPolicy.SnakeCaseLower.ConvertName(Show(fallback)) : Show(fallback); // as the choices are spelled
            var help = fallback is null || fallback.ToJsonString() is "\"\"" or "[]" ? description : $"{description} [default: {shownDefault}]";
            Option option = valueType == typeof(bool)
                ? new Option<bool>(flagName, extra) { Description = help }
                : new Option<string>(flagName, extra) { Description = help, HelpName = HelpName(valueType) };
            _flags.Add(new Flag(option, path, valueType, property));
        }
    }

    private static string Show(JsonNode value) => value switch
    {
        JsonArray list => string.Join(',', list.Select(v => v!.GetValue<string>())),
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var number) => number.ToString("G", CultureInfo.InvariantCulture).Replace('E', 'e'),
        _ => value.ToJsonString(),
    };

    private static string HelpName(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "N",
        _ when type == typeof(double) => "X",
        _ when type.IsEnum => string.Join('|', Enum.GetNames(type).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n))),
        _ when type != typeof(string) => "A,B,...",
        _ => "TEXT",
    };

    private static JsonNode Convert(Flag flag, string text)
    {
        var name = flag.Option.Name;
        var type = flag.Type;
        if (type == typeof(string))
        {
            return JsonValue.Create(text);
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole)
                ? JsonValue.Create(whole)
                : throw new ArgumentException($"{name}: '{text}' is not a whole number");
        }

        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? JsonValue.Create(number)
                : throw new ArgumentException($"{name}: '{text}' is not a number");
        }

        if (type.IsEnum)
        {
            var value = CliRunner.ParseEnum(type, text, name);
            var converter = flag.Property.GetCustomAttribute<JsonConverterAttribute>() ?? type.GetCustomAttribute<JsonConverterAttribute>();
            var options = new JsonSerializerOptions();
            if (converter?.ConverterType is { } converterType)
            {
                options.Converters.Add((JsonConverter)Activator.CreateInstance(converterType)!);
            }

            return JsonSerializer.SerializeToNode(value, type, options)!;
        }

        return new JsonArray(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
    }

    private sealed record Flag(Option Option, string[] Path, Type Type, PropertyInfo Property);
}
