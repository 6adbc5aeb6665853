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

        public string Expand(string text, ICollection<string> unresolved)
        {
            var result = new StringBuilder(text.Length);
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
                    result.Append(Substitute(text.Substring(i + 2, close - i - 2), unresolved));
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

        private string Substitute(string body, ICollection<string> unresolved)
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

            var colon = rest[0] == ':';
            var op = colon && rest.Length > 1 ? rest[1] : rest[0];
            var word = rest.Substring(colon ? 2 : 1);
            var isSet = colon ? !string.IsNullOrEmpty(value) : value != null;
            switch (op)
            {
                case '-':
                    return isSet ? value! : Expand(word, unresolved);
                case '+':
                    return isSet ? Expand(word, unresolved) : "";
                case '?':
                    if (!isSet) unresolved.Add(name);
                    return value ?? "";
                default:
                    // A modifier this reader does not know (${VAR#prefix}, ...): the value cannot be known.
                    unresolved.Add(name);
                    return "";
            }
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
