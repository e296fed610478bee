// A teacher that fails every request (a wrong model name, max_tokens over its context, a server that is down) would
// otherwise finish the run with an empty dataset and every problem marked done. Until one problem of this run gets an
// answer, problems whose requests failed outright are held back, not written; if the first `threshold` all fail, the
// run stops with the teacher's own message and nothing marked done, so a corrected rerun asks again.
namespace Reasoner.Distillation;

internal sealed class FailFast(int threshold)
{
    private readonly List<Action> _held = [];
    private bool _anySuccess;

    /// <summary>Writes a problem through <paramref name="write"/>, now or once the teacher has answered any problem.</summary>
    public void Write(bool failedOutright, string? detail, Action write)
    {
        if (_anySuccess)
        {
            write();
            return;
        }

        if (failedOutright)
        {
            _held.Add(write);
            if (_held.Count >= threshold)
            {
                throw new Teachers.TeacherUnusableException($"the teacher failed all of the first {_held.Count} problems, so the run stopped without marking them done; the last error: {detail}");
            }

            return;
        }

        _anySuccess = true;
        _held.ForEach(w => w());
        _held.Clear();
        write();
    }
}
