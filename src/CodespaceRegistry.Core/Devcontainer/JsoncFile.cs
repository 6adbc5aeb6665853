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

        private readonly Lines _lines;

        private JsoncFile(JsonElement root, Lines lines)
        {
            Root = root;
            _lines = lines;
        }

        public JsonElement Root { get; }

        /// <summary>The line (from 1) of the property or array item at <paramref name="path"/>, or 1 when it is not there.</summary>
        public int LineOf(params string[] path)
        {
            Lines? node = _lines;
            foreach (var name in path) node = node?.Find(name);
            return node?.Line ?? 1;
        }

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

        /// <summary>Where a property or array item starts, and its own properties or items: a path costs only its own names.</summary>
        private sealed class Lines
        {
            private Dictionary<string, Lines>? _children;

            public int Line { get; set; } = 1;

            public Lines Child(string name)
            {
                _children ??= new Dictionary<string, Lines>(StringComparer.Ordinal);
                if (!_children.TryGetValue(name, out var child)) _children[name] = child = new Lines();
                return child;
            }

            public Lines? Find(string name) => _children != null && _children.TryGetValue(name, out var child) ? child : null;
        }

        // One pass, linear in the file: each token touches only its own node (a path joined into one key per token
        // costs the length of every enclosing name, which a hostile file makes quadratic).
        private static Lines LinesOf(ReadOnlySpan<byte> utf8)
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

            var root = new Lines();
            var containers = new Stack<(Lines Node, bool IsArray, int Next)>();
            Lines? property = null; // the property whose value comes next
            var reader = new Utf8JsonReader(utf8, ReaderOptions);

            Lines Value(long offset)
            {
                if (containers.Count == 0) return root;
                var (node, isArray, next) = containers.Peek();
                if (!isArray)
                {
                    var owner = property ?? root;
                    property = null;
                    return owner;
                }
                containers.Pop();
                containers.Push((node, true, next + 1));
                var item = node.Child(next.ToString(CultureInfo.InvariantCulture));
                item.Line = LineAt(offset);
                return item;
            }

            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = containers.Peek().Node.Child(reader.GetString()!);
                        property.Line = LineAt(reader.TokenStartIndex);
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        containers.Push((Value(reader.TokenStartIndex), reader.TokenType == JsonTokenType.StartArray, 0));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    default:
                        Value(reader.TokenStartIndex);
                        break;
                }
            }
            return root;
        }
    }
}
