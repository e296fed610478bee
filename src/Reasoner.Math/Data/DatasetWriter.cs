// Streams dataset rows to JSONL through a temp file; the card is written beside it when the data is complete.
using System.Text.Json;

namespace Reasoner.Math.Data;

public sealed class DatasetWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = JsonText.Writer;
    private readonly string _path;
    private readonly string _tempPath;
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly DatasetShape _shape;
    private bool _committed;

    public DatasetWriter(string path, DatasetShape shape)
    {
        _path = path;
        _shape = shape;
        (_stream, _tempPath) = AtomicFile.Create(path);
        _json = new Utf8JsonWriter(_stream, Options);
    }

    public long Count { get; private set; }

    public void Write(DatasetRecord record)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("id", record.Id);
        if (_shape == DatasetShape.Gsm8k)
        {
            _json.WriteString("question", record.Prompt);
            _json.WriteString("answer", Gsm8kForm.Answer(record.Completion, record.Answer));
        }
        else if (_shape == DatasetShape.Messages)
        {
            _json.WriteStartArray("messages");
            WriteSystemAndUser(record);
            WriteMessage("assistant", record.Completion);
            _json.WriteEndArray();
        }
        else
        {
            _json.WriteStartArray("prompt");
            WriteSystemAndUser(record);
            _json.WriteEndArray();
            _json.WriteStartArray("completion");
            WriteMessage("assistant", record.Completion);
            _json.WriteEndArray();
        }

        if (record.Equation is not null)
        {
            _json.WriteString("equation", record.Equation); // the equations family: what the answer solves
        }
        else
        {
            _json.WriteString("expression", record.Expression);
        }

        if (_shape != DatasetShape.Gsm8k)
        {
            _json.WriteString("answer", record.Answer); // GSM8K's "answer" holds the reasoning and the "#### " line
        }

        _json.WriteString("difficulty", record.Difficulty);
        if (record.Family is not null)
        {
            _json.WriteString("family", record.Family); // other families than arithmetic, whose rows stay as they were
        }

        _json.WriteNumber("seed", record.Seed);
        if (record.Style is not null)
        {
            _json.WriteString("style", record.Style);
        }

        if (record.Split is not null)
        {
            _json.WriteString("split", record.Split);
        }

        _json.WriteEndObject();
        _json.Flush();
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    /// <summary>Closes the file and renames it into place.</summary>
    public void Commit()
    {
        _json.Dispose();
        _stream.Dispose();
        AtomicFile.Commit(_tempPath, _path);
        _committed = true;
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
        if (!_committed)
        {
            AtomicFile.Abandon(_tempPath);
        }
    }

    private void WriteSystemAndUser(DatasetRecord record)
    {
        if (record.System is not null)
        {
            WriteMessage("system", record.System);
        }

        WriteMessage("user", record.Prompt);
    }

    private void WriteMessage(string role, string content)
    {
        _json.WriteStartObject();
        _json.WriteString("role", role);
        _json.WriteString("content", content);
        _json.WriteEndObject();
    }
}
