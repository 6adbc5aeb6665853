using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>
    /// A JSON-with-comments file as devcontainer.json is written (<c>//</c> and <c>/* */</c> comments, trailing
    /// commas), with the line on which each property or array item starts.
    /// </summary>
    internal sealed class JsoncFile
    {
        private static readonly JsonDocumentOptions DocumentOptions = new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        private const string InvalidErrorId = "DevcontainerJsonInvalid";

        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

        private readonly Dictionary<string, int> _lines;

        private JsoncFile(JsonElement root, Dictionary<string, int> lines)
        {
            Root = root;
            _lines = lines;
        }

        public JsonElement Root { get; }

        /// <summary>The line (from 1) of the property or array item at <paramref name="path"/>, or 1 when it is not there.</summary>
        public int LineOf(params string[] path) => _lines.TryGetValue(Key(path), out var line) ? line : 1;

        /// <exception cref="RegistryException">ErrorId <c>DevcontainerJsonInvalid</c> naming the line that is wrong.</exception>
        public static JsoncFile Parse(byte[] bytes, string displayName)
        {
            var utf8 = new ReadOnlyMemory<byte>(bytes);
            if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) utf8 = utf8.Slice(3);
            LocalFile.DecodeUtf8(bytes, displayName, InvalidErrorId);
            if (!JsonStrings.AllReadable(utf8.Span, ReaderOptions))
            {
                throw new RegistryException(InvalidErrorId, ErrorKind.InvalidData,
                    $"{displayName} holds a string that is not text (an escaped lone surrogate such as \\ud800). Fix the file.");
            }
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(utf8, DocumentOptions);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                var line = (e.LineNumber ?? 0) + 1;
                throw new RegistryException(InvalidErrorId, ErrorKind.InvalidData,
                    $"{displayName} is not valid JSON near line {line.ToString(CultureInfo.InvariantCulture)}. Fix the file; comments and trailing commas are allowed.", e);
            }
            return new JsoncFile(root, LinesOf(utf8.Span));
        }

        public static JsoncFile Load(string path, string displayName) =>
            Parse(LocalFile.ReadBytes(path, displayName, InvalidErrorId)
                  ?? throw new RegistryException(InvalidErrorId, ErrorKind.ObjectNotFound, $"{displayName} does not exist."), displayName);

        private static string Key(IEnumerable<string> path) => string.Join("\u001f", path);

        private static Dictionary<string, int> LinesOf(ReadOnlySpan<byte> utf8)
        {
            var lineStarts = new List<int> { 0 };
            for (var i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n') lineStarts.Add(i + 1);
            }
            int LineAt(long offset)
            {
                var index = lineStarts.BinarySearch((int)offset);
                return (index >= 0 ? index : ~index - 1) + 1;
            }

            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            var path = new List<string>();
            var containers = new Stack<(bool IsArray, int Next)>();
            var reader = new Utf8JsonReader(utf8, ReaderOptions);

            void BeginValue(long offset)
            {
                if (containers.Count == 0 || !containers.Peek().IsArray) return;
                var array = containers.Pop();
                path.Add(array.Next.ToString(CultureInfo.InvariantCulture));
                lines[Key(path)] = LineAt(offset);
                containers.Push((true, array.Next + 1));
            }
            void EndValue()
            {
                if (containers.Count > 0) path.RemoveAt(path.Count - 1);
            }

            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        path.Add(reader.GetString()!);
                        lines[Key(path)] = LineAt(reader.TokenStartIndex);
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        BeginValue(reader.TokenStartIndex);
                        containers.Push((reader.TokenType == JsonTokenType.StartArray, 0));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        containers.Pop();
                        EndValue();
                        break;
                    default:
                        BeginValue(reader.TokenStartIndex);
                        EndValue();
                        break;
                }
            }
            return lines;
        }
    }
}
