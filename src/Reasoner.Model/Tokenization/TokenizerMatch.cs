// Whether two models read text the same way: the same ids for the same tokens and the same chat format. Logit
// distillation compares distributions id by id, so it is only meaningful between matching tokenizers.
namespace Reasoner.Model.Tokenization;

public static class TokenizerMatch
{
    /// <summary>null when the tokenizers match, else the first difference in words.</summary>
    public static string? Difference(ITokenizer student, ITokenizer teacher)
    {
        if (student.GetType() != teacher.GetType())
        {
            return $"the student's tokenizer is {student.GetType().Name}, the teacher's {teacher.GetType().Name}";
        }

        if (student.VocabSize != teacher.VocabSize)
        {
            return $"the student's vocabulary has {student.VocabSize} ids, the teacher's {teacher.VocabSize}";
        }

        for (int id = 0; id < student.VocabSize; id++)
        {
            string a = student.Decode([id]), b = teacher.Decode([id]);
            if (a != b)
            {
                return $"id {id} is '{a}' for the student and '{b}' for the teacher";
            }
        }

        if (student.Chat.Name != teacher.Chat.Name)
        {
            return $"the student's chat format is {student.Chat.Name}, the teacher's {teacher.Chat.Name}";
        }

        return null;
    }
}
