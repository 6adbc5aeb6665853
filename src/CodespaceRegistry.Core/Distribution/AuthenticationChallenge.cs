using System;
using System.Collections.Generic;
using System.Text;

namespace CodespaceRegistry.Distribution
{
    /// <summary>
    /// One challenge of a <c>WWW-Authenticate</c> header (RFC 9110 §11.6.1): a scheme such as <c>Bearer</c> or
    /// <c>Basic</c> and its parameters. A header may carry several challenges, and a response several headers.
    /// </summary>
    public sealed class AuthenticationChallenge
    {
        private readonly Dictionary<string, string> _parameters;

        private AuthenticationChallenge(string scheme, Dictionary<string, string> parameters, string? token68)
        {
            Scheme = scheme;
            _parameters = parameters;
            Token68 = token68;
        }

        /// <summary>The scheme as sent; compare with <see cref="IsScheme"/> (schemes are case-insensitive).</summary>
        public string Scheme { get; }

        /// <summary>Parameters by lower-case name, quoted values unescaped.</summary>
        public IReadOnlyDictionary<string, string> Parameters => _parameters;

        /// <summary>A token68 credential instead of parameters (rare for registries).</summary>
        public string? Token68 { get; }

        public string? Realm => Parameter("realm");

        public string? Service => Parameter("service");

        public string? Scope => Parameter("scope");

        /// <summary>The <c>error</c> parameter of a Bearer challenge: <c>invalid_token</c>, <c>insufficient_scope</c>, ...</summary>
        public string? Error => Parameter("error");

        public bool IsScheme(string scheme) => string.Equals(Scheme, scheme, StringComparison.OrdinalIgnoreCase);

        public string? Parameter(string name) => _parameters.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;

        public override string ToString() => Realm != null ? $"{Scheme} realm=\"{Realm}\"" : Scheme;

        /// <summary>Parses every challenge of every header value; what cannot be parsed is skipped, never guessed.</summary>
        public static IReadOnlyList<AuthenticationChallenge> Parse(IEnumerable<string> headerValues)
        {
            var result = new List<AuthenticationChallenge>();
            foreach (var value in headerValues) new Reader(value ?? "").ReadChallenges(result);
            return result;
        }

        public static IReadOnlyList<AuthenticationChallenge> Parse(string headerValue) => Parse(new[] { headerValue });

        private sealed class Reader
        {
            private readonly string _s;
            private int _pos;

            public Reader(string s) { _s = s; }

            public void ReadChallenges(List<AuthenticationChallenge> into)
            {
                while (true)
                {
                    SkipSeparators();
                    if (_pos >= _s.Length) return;
                    var scheme = ReadToken();
                    if (scheme.Length == 0) { _pos++; continue; }
                    var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                    SkipSpaces();
                    var token68 = TryReadToken68();
                    if (token68 == null) ReadParameters(parameters);
                    into.Add(new AuthenticationChallenge(scheme, parameters, token68));
                }
            }

            private void ReadParameters(Dictionary<string, string> into)
            {
                while (true)
                {
                    SkipSeparators();
                    var start = _pos;
                    var name = ReadToken();
                    SkipSpaces();
                    if (name.Length == 0 || _pos >= _s.Length || _s[_pos] != '=')
                    {
                        _pos = start; // the next challenge's scheme, or the end
                        return;
                    }
                    _pos++;
                    SkipSpaces();
                    var value = _pos < _s.Length && _s[_pos] == '"' ? ReadQuoted() : ReadToken();
                    var key = name.ToLowerInvariant();
                    if (!into.ContainsKey(key)) into[key] = value;
                    SkipSpaces();
                    if (_pos >= _s.Length || _s[_pos] != ',') return;
                }
            }

            // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", alone before "," or the end.
            private string? TryReadToken68()
            {
                var start = _pos;
                while (_pos < _s.Length && (char.IsLetterOrDigit(_s[_pos]) || "-._~+/".IndexOf(_s[_pos]) >= 0)) _pos++;
                var body = _pos;
                while (_pos < _s.Length && _s[_pos] == '=') _pos++;
                var end = _pos;
                SkipSpaces();
                var isToken68 = body > start && (_pos >= _s.Length || _s[_pos] == ',') && (end > body || !LooksLikeScheme(start, body));
                if (isToken68) return _s.Substring(start, end - start);
                _pos = start;
                return null;
            }

            // "Basic, Bearer realm=..." — a bare word followed by a comma is the next challenge's scheme, not a token68.
            private bool LooksLikeScheme(int start, int end) => _s.IndexOfAny(new[] { '/', '+' }, start, end - start) < 0;

            private string ReadToken()
            {
                var start = _pos;
                while (_pos < _s.Length && IsTokenChar(_s[_pos])) _pos++;
                return _s.Substring(start, _pos - start);
            }

            private string ReadQuoted()
            {
                var sb = new StringBuilder();
                _pos++; // opening quote
                while (_pos < _s.Length)
                {
                    var c = _s[_pos++];
                    if (c == '"') return sb.ToString();
                    if (c == '\\' && _pos < _s.Length) c = _s[_pos++];
                    sb.Append(c);
                }
                return sb.ToString(); // unterminated: keep what was there
            }

            private void SkipSpaces()
            {
                while (_pos < _s.Length && (_s[_pos] == ' ' || _s[_pos] == '\t')) _pos++;
            }

            private void SkipSeparators()
            {
                while (_pos < _s.Length && (_s[_pos] == ' ' || _s[_pos] == '\t' || _s[_pos] == ',')) _pos++;
            }

            private static bool IsTokenChar(char c) =>
                c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={}".IndexOf(c) < 0;
        }
    }
}
