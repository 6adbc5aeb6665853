using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CodespaceRegistry
{
    /// <summary>
    /// The one place that decides how input and secrets may appear in a message, a finding or an output property:
    /// user information (<c>user:password@</c>) is removed, echoed input is cut to <see cref="MaxEchoLength"/>
    /// characters, and a known secret is replaced in every form a program may print it (raw or JSON-escaped).
    /// </summary>
    public static class Redaction
    {
        /// <summary>The most characters of an input a message repeats.</summary>
        public const int MaxEchoLength = 100;

        /// <summary>What stands where a secret was.</summary>
        public const string Redacted = "[redacted]";

        /// <summary>What stands where user information was: <c>https://***@host</c>.</summary>
        public const string UserInfoMask = "***";

        private static readonly Regex DigestAfterAt = new Regex(@"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$", RegexOptions.CultureInvariant);

        /// <summary><c>host:port</c>, which <see cref="DigestAfterAt"/> also matches (<c>127.0.0.1:5000</c>): a port is digits, a digest is not.</summary>
        private static readonly Regex HostAndPort = new Regex(@"^[^:]+:[0-9]{1,5}$", RegexOptions.CultureInvariant);

        /// <summary>An input as a message may quote it: trimmed, without user information, at most 100 characters and "…".</summary>
        public static string Echo(string? input)
        {
            var s = WithoutUserInfo((input ?? "").Trim());
            return s.Length > MaxEchoLength ? s.Substring(0, MaxEchoLength) + "…" : s;
        }

        /// <summary>
        /// A server or reference without the user information of its authority: <c>https://alice:pw@host/v2</c> becomes
        /// <c>https://***@host/v2</c>. The <c>@</c> of an image digest (<c>app@sha256:…</c>) is not user information.
        /// </summary>
        public static string WithoutUserInfo(string value)
        {
            var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
            var start = schemeEnd >= 0 && value.IndexOf('/') == schemeEnd + 1 ? schemeEnd + 3 : 0;
            var slash = value.IndexOf('/', start);
            var authorityEnd = slash < 0 ? value.Length : slash;
            if (authorityEnd <= start) return value;
            var at = value.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
            if (at < 0) return value;
            // ubuntu@sha256:… names a digest; in a reference with a path (a/b@sha256:…) the '@' is after the first '/'. A URL
            // (a scheme) has no digest, and alice:pw@127.0.0.1:5000 is user information before a host and port.
            var afterAt = value.Substring(at + 1);
            if (start == 0 && slash < 0 && DigestAfterAt.IsMatch(afterAt) && !HostAndPort.IsMatch(afterAt)) return value;
            return value.Substring(0, start) + UserInfoMask + value.Substring(at);
        }

        /// <summary>True when <paramref name="value"/> carries <paramref name="secret"/> (a password pasted into the wrong secret).</summary>
        public static bool Contains(string value, string? secret)
        {
            var s = secret?.Trim() ?? "";
            if (s.Length == 0) return false;
            var v = value.Trim();
            // A short password inside a longer value may be chance ("ab" in "gitlab"); a whole match is not.
            return v == s || (s.Length >= 6 && v.IndexOf(s, StringComparison.Ordinal) >= 0);
        }

        /// <summary>
        /// <paramref name="text"/> with <paramref name="secret"/> replaced by <see cref="Redacted"/>, also where it is written
        /// JSON-escaped (<c>\u00f6</c> in either case, <c>\"</c>, <c>\/</c>, <c>\n</c>, ...), as a program that re-encodes its input prints it.
        /// </summary>
        public static string RedactSecret(string text, string? secret)
        {
            if (string.IsNullOrEmpty(secret) || text.Length == 0) return text;
            try
            {
                return SecretPattern(secret!).Replace(text, Redacted);
            }
            catch (RegexMatchTimeoutException)
            {
                return Redacted; // nothing of the text can be vouched for
            }
        }

        private static Regex SecretPattern(string secret)
        {
            var pattern = new StringBuilder(secret.Length * 24);
            foreach (var c in secret)
            {
                pattern.Append("(?:").Append(Regex.Escape(c.ToString())).Append(@"|\\u");
                foreach (var hex in ((int)c).ToString("x4", CultureInfo.InvariantCulture))
                {
                    if (char.IsLetter(hex)) pattern.Append('[').Append(hex).Append(char.ToUpperInvariant(hex)).Append(']');
                    else pattern.Append(hex);
                }
                if (ShortEscape(c) is char e) pattern.Append(@"|\\").Append(Regex.Escape(e.ToString()));
                pattern.Append(')');
            }
            return new Regex(pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        }

        private static char? ShortEscape(char c) => c switch
        {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            '\b' => 'b',
            '\f' => 'f',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            _ => (char?)null,
        };
    }
}
