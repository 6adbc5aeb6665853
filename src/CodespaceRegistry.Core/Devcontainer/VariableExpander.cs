using System;
using System.Collections.Generic;
using System.Text;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>
    /// Shell-style variable substitution as Dockerfiles and Compose files do it: <c>$VAR</c>, <c>${VAR}</c>,
    /// <c>${VAR:-default}</c>, <c>${VAR-default}</c>, <c>${VAR:+alternative}</c>, <c>${VAR+alternative}</c>,
    /// <c>${VAR:?message}</c>, <c>${VAR?message}</c>. A variable that has no value and no default is listed in
    /// <c>unresolved</c>, never guessed.
    /// </summary>
    internal sealed class VariableExpander
    {
        /// <summary>The longest value an expansion may make: far beyond any image reference or build argument.</summary>
        public const int MaxLength = 64 * 1024;

        /// <summary>How deep <c>${A:-${B:-...}}</c> may nest.</summary>
        public const int MaxDepth = 32;

        /// <summary>The ErrorId of an expansion that passes <see cref="MaxLength"/> or <see cref="MaxDepth"/>.</summary>
        public const string LimitErrorId = "VariableExpansionLimit";

        private readonly Func<string, string?> _lookup;
        private readonly char? _escape;
        private readonly bool _doubleDollarEscapes;

        private VariableExpander(Func<string, string?> lookup, char? escape, bool doubleDollarEscapes)
        {
            _lookup = lookup;
            _escape = escape;
            _doubleDollarEscapes = doubleDollarEscapes;
        }

        /// <summary>Dockerfile rules: the escape character (<c>\</c> or <c>`</c>) before <c>$</c> keeps it literal.</summary>
        public static VariableExpander ForDockerfile(Func<string, string?> lookup, char escape) => new VariableExpander(lookup, escape, false);

        /// <summary>Compose rules: <c>$$</c> is a literal <c>$</c>.</summary>
        public static VariableExpander ForCompose(Func<string, string?> lookup) => new VariableExpander(lookup, null, true);

        /// <exception cref="RegistryException"><see cref="LimitErrorId"/> when the result would pass <see cref="MaxLength"/>
        /// characters or the variables nest deeper than <see cref="MaxDepth"/>.</exception>
        public string Expand(string text, ICollection<string> unresolved) => Expand(text, unresolved, 0);

        private string Expand(string text, ICollection<string> unresolved, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new RegistryException(LimitErrorId, ErrorKind.LimitsExceeded,
                    $"Variables are nested more than {MaxDepth} deep (${{A:-${{B:-...}}}}), more than this tool expands.");
            }
            var result = new LimitedBuilder(Math.Min(text.Length, MaxLength));
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (_escape is char escape && c == escape && i + 1 < text.Length && text[i + 1] == '$')
                {
                    result.Append('$');
                    i += 2;
                    continue;
                }
                if (c != '$' || i + 1 >= text.Length)
                {
                    result.Append(c);
                    i++;
                    continue;
                }
                var next = text[i + 1];
                if (_doubleDollarEscapes && next == '$')
                {
                    result.Append('$');
                    i += 2;
                }
                else if (next == '{')
                {
                    var close = MatchingBrace(text, i + 2);
                    if (close < 0)
                    {
                        result.Append(text, i, text.Length - i);
                        break;
                    }
                    result.Append(Substitute(text.Substring(i + 2, close - i - 2), unresolved, depth));
                    i = close + 1;
                }
                else if (IsNameStart(next))
                {
                    var end = i + 1;
                    while (end < text.Length && IsNamePart(text[end])) end++;
                    var name = text.Substring(i + 1, end - i - 1);
                    var value = _lookup(name);
                    if (value == null) unresolved.Add(name);
                    result.Append(value);
                    i = end;
                }
                else
                {
                    result.Append(c);
                    i++;
                }
            }
            return result.ToString();
        }

        private string Substitute(string body, ICollection<string> unresolved, int depth)
        {
            var end = 0;
            while (end < body.Length && IsNamePart(body[end])) end++;
            var name = body.Substring(0, end);
            var value = _lookup(name);
            var rest = body.Substring(end);
            if (rest.Length == 0)
            {
                if (value == null) unresolved.Add(name);
                return value ?? "";
            }

            var colon = rest[0] == ':' && rest.Length > 1; // "${VAR:}" alone is the unknown modifier ':'
            var op = colon ? rest[1] : rest[0];
            var word = rest.Substring(colon ? 2 : 1);
            var isSet = colon ? !string.IsNullOrEmpty(value) : value != null;
            switch (op)
            {
                case '-':
                    return isSet ? value! : Expand(word, unresolved, depth + 1);
                case '+':
                    return isSet ? Expand(word, unresolved, depth + 1) : "";
                case '?':
                    if (!isSet) unresolved.Add(name);
                    return value ?? "";
                default:
                    // A modifier this reader does not know (${VAR#prefix}, ...): the value cannot be known.
                    unresolved.Add(name);
                    return "";
            }
        }

        /// <summary>A StringBuilder that refuses to grow past <see cref="MaxLength"/>.</summary>
        private sealed class LimitedBuilder
        {
            private readonly StringBuilder _text;

            public LimitedBuilder(int capacity) { _text = new StringBuilder(capacity); }

            public void Append(char c)
            {
                Check(1);
                _text.Append(c);
            }

            public void Append(string? s)
            {
                if (s == null) return;
                Check(s.Length);
                _text.Append(s);
            }

            public void Append(string s, int start, int count)
            {
                Check(count);
                _text.Append(s, start, count);
            }

            private void Check(int adding)
            {
                if (_text.Length + adding > MaxLength)
                {
                    throw new RegistryException(LimitErrorId, ErrorKind.LimitsExceeded,
                        $"A value expands to more than {MaxLength} characters, more than this tool expands.");
                }
            }

            public override string ToString() => _text.ToString();
        }

        private static int MatchingBrace(string text, int start)
        {
            var depth = 1;
            for (var i = start; i < text.Length; i++)
            {
                if (text[i] == '{') depth++;
                else if (text[i] == '}' && --depth == 0) return i;
            }
            return -1;
        }

        private static bool IsNameStart(char c) => c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

        private static bool IsNamePart(char c) => IsNameStart(c) || (c >= '0' && c <= '9');
    }
}
