// One tokenizer interface for the whole pipeline: our character tokenizer, and Hugging Face byte-level BPE
// (tokenizer.json) for pretrained models. Each carries the chat format of its model, so SFT, GRPO, evaluation,
// solve and serving all render prompts the same way and mask the loss on the same tokens.
namespace Reasoner.Model.Tokenization;

public interface ITokenizer
{
    /// <summary>Ids are 0..VocabSize-1 (the model's embedding may be larger: HF pads vocab_size).</summary>
    int VocabSize { get; }

    /// <summary>The id used for padding; padded positions are masked, so any id works.</summary>
    int PadId { get; }

    /// <summary>How prompts and completions are wrapped for this model.</summary>
    ChatFormat Chat { get; }

    /// <summary>Text to ids; special and added tokens written in the text become their single ids, as HF does.</summary>
    List<int> Encode(string text);

    /// <summary>Ids to text; control tokens (padding, begin/end of text, turn markers) are left out.</summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>The token with this id as the vocabulary spells it (byte-level BPE: a space is 'Ġ'), as HF's convert_ids_to_tokens; null outside the vocabulary.</summary>
    string? Token(int id);

    /// <summary>The id of a token written as the vocabulary spells it (a special token's text), or null.</summary>
    int? TokenId(string token);

    /// <summary>Writes tokenizer.json and tokenizer_config.json (with the chat template) into a checkpoint folder.</summary>
    void Save(string directory);
}
