// Difficulty that follows success: up one level when the recent success rate is high, down one when it is
// low. The state (level and the recent window) is saved in every checkpoint so a resumed run continues it.
using System.Text.Json.Serialization;

namespace Reasoner.Training.Grpo;

public sealed record CurriculumState
{
    [JsonPropertyName("level")]
    public int Level { get; init; }

    /// <summary>Accuracy of each completion since the last move, oldest first (at most window entries).</summary>
    [JsonPropertyName("recent")]
    public IReadOnlyList<double> Recent { get; init; } = [];
}

public sealed class Curriculum(CurriculumConfig config, CurriculumState? state = null)
{
    private readonly Queue<double> _recent = new(state?.Recent ?? []);

    public int Level { get; private set; } = state?.Level ?? config.StartLevel;

    public string Preset => config.Levels[Level];

    public double? RecentSuccess => _recent.Count == 0 ? null : _recent.Average();

    public CurriculumState State => new() { Level = Level, Recent = [.. _recent] };

    /// <summary>Adds one step's results; returns +1 or -1 when the level moved, else 0. A move needs a full window.</summary>
    public int Record(IEnumerable<double> successes)
    {
        foreach (var s in successes)
        {
            _recent.Enqueue(s);
            while (_recent.Count > config.Window)
            {
                _recent.Dequeue();
            }
        }

        if (_recent.Count < config.Window)
        {
            return 0;
        }

        double rate = _recent.Average();
        int move = rate >= config.UpThreshold && Level < config.Levels.Count - 1 ? 1
            : rate <= config.DownThreshold && Level > 0 ? -1
            : 0;
        if (move != 0)
        {
            Level += move;
            _recent.Clear();
        }

        return move;
    }
}
