// --teacher as the user gives it: http(s) URLs (one or more) make an HttpTeacher, one folder a CheckpointTeacher.
using Reasoner.Model.Tokenization;

namespace Reasoner.Distillation.Teachers;

public static class Teacher
{
    public const string ApiKeyVariable = "REASONER_TEACHER_API_KEY";

    public static async Task<ITeacher> OpenAsync(IReadOnlyList<string> teachers, HttpTeacherOptions http, ChatFormat? chat, int maxBatch, int threads, Action<string> log, CancellationToken cancellation = default)
    {
        bool IsUrl(string t) => t.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || t.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (teachers.All(IsUrl))
        {
            return await HttpTeacher.OpenAsync(teachers, http with { ApiKey = http.ApiKey ?? Environment.GetEnvironmentVariable(ApiKeyVariable) }, log, cancellation: cancellation).ConfigureAwait(false);
        }

        if (teachers.Count > 1)
        {
            throw new ArgumentException($"--teacher: several teachers must all be server URLs; got {string.Join(", ", teachers)}. Serve the checkpoints (reasoner serve) and give their URLs");
        }

        if (!Directory.Exists(teachers[0]))
        {
            throw new ArgumentException($"--teacher: '{teachers[0]}' is neither an http(s) URL nor a folder (a run, checkpoint or Hugging Face model)");
        }

        return CheckpointTeacher.Load(teachers[0], chat, maxBatch, threads);
    }
}
