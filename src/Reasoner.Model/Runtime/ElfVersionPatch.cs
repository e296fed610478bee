// Marks one symbol-version need in an ELF64 shared library as weak (VER_FLG_WEAK in .gnu.version_r).
// TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32, which Debian 12 and Ubuntu 22.04 lack;
// its only symbol at that version (std::ios_base_library_init) is never relocated, so a weak need loads fine.
using System.Buffers.Binary;
using System.Text;

namespace Reasoner.Model.Runtime;

public static class ElfVersionPatch
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    public enum Result
    {
        /// <summary>The file does not need that version at all.</summary>
        NotNeeded,

        /// <summary>The need was already weak.</summary>
        AlreadyWeak,

        /// <summary>The need was strong and is now weak.</summary>
        Patched,
    }

    /// <summary>Sets VER_FLG_WEAK on the version need named <paramref name="version"/> in the ELF image, in memory.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a little-endian ELF64 file with a version-needs section.</exception>
    public static Result MakeWeak(Span<byte> elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a little-endian ELF64 file");
        }

        ulong sectionOffset = BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        for (int i = 0; i < sectionCount; i++)
        {
            var header = elf.Slice(checked((int)sectionOffset + (i * sectionSize)), sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
            {
                continue;
            }

            int offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            int entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var stringsHeader = elf.Slice(checked((int)sectionOffset + (link * sectionSize)), sectionSize);
            int strings = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(stringsHeader[0x18..]));
            return Walk(elf, offset, entries, strings, version);
        }

        throw new InvalidDataException("no .gnu.version_r section");
    }

    private static Result Walk(Span<byte> elf, int offset, int entries, int strings, string version)
    {
        int need = offset;
        for (int n = 0; n < entries; n++)
        {
            int count = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
            int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
            for (int a = 0; a < count; a++)
            {
                int name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]);
                if (ReadString(elf, name) == version)
                {
                    var flags = elf.Slice(aux + 4, 2);
                    ushort value = BinaryPrimitives.ReadUInt16LittleEndian(flags);
                    if ((value & VerFlagWeak) != 0)
                    {
                        return Result.AlreadyWeak;
                    }

                    BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(value | VerFlagWeak));
                    return Result.Patched;
                }

                aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
            }

            int next = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            if (next == 0)
            {
                break;
            }

            need += next;
        }

        return Result.NotNeeded;
    }

    private static string ReadString(ReadOnlySpan<byte> elf, int offset)
    {
        int end = elf[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(elf.Slice(offset, end));
    }
}
