using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CodespaceRegistry.Distribution
{
    /// <summary>The names a server certificate is for, as a TLS name-mismatch message states them.</summary>
    internal static class CertificateNames
    {
        /// <summary>The most names a message lists; a certificate may carry hundreds.</summary>
        public const int MaxListed = 5;

        private const string SubjectAlternativeNameOid = "2.5.29.17";
        private const byte Sequence = 0x30;
        private const byte DnsName = 0x82;   // [2] IA5String
        private const byte IpAddress = 0x87; // [7] OCTET STRING, 4 or 16 bytes

        /// <summary>
        /// The DNS names and IP addresses of the certificate's subject alternative names (what TLS clients match), else its
        /// subject's common name; each printable and at most <see cref="Redaction.MaxEchoLength"/> characters.
        /// </summary>
        public static IReadOnlyList<string> Of(X509Certificate2 certificate)
        {
            var names = new List<string>();
            foreach (var extension in certificate.Extensions)
            {
                if (extension.Oid?.Value == SubjectAlternativeNameOid) names.AddRange(AlternativeNames(extension.RawData));
            }
            if (names.Count == 0)
            {
                var commonName = certificate.GetNameInfo(X509NameType.SimpleName, false);
                if (!string.IsNullOrEmpty(commonName)) names.Add(commonName);
            }
            return names.Select(Printable).Distinct().ToList();
        }

        /// <summary>"a, b and 3 more", or "no name" for a certificate that names nothing.</summary>
        public static string Describe(IReadOnlyList<string> names) =>
            names.Count == 0 ? "no host name"
            : string.Join(", ", names.Take(MaxListed)) + (names.Count > MaxListed ? $" and {names.Count - MaxListed} more" : "");

        /// <summary>GeneralNames (RFC 5280 4.2.1.6), DER: a SEQUENCE of tagged names; other kinds are skipped, a malformed one ends the list.</summary>
        private static List<string> AlternativeNames(byte[] der)
        {
            var names = new List<string>();
            var position = 0;
            if (!TryReadHeader(der, ref position, out var tag, out var length) || tag != Sequence) return names;
            var end = position + length;
            while (position < end && TryReadHeader(der, ref position, out tag, out length) && position + length <= end)
            {
                if (tag == DnsName) names.Add(Encoding.ASCII.GetString(der, position, length));
                else if (tag == IpAddress && (length == 4 || length == 16)) names.Add(new IPAddress(der.Skip(position).Take(length).ToArray()).ToString());
                position += length;
            }
            return names;
        }

        /// <summary>Reads a tag and a definite length (short or long form, at most 3 bytes); the position moves to the content.</summary>
        private static bool TryReadHeader(byte[] der, ref int position, out byte tag, out int length)
        {
            tag = 0;
            length = 0;
            if (position + 2 > der.Length) return false;
            tag = der[position++];
            int first = der[position++];
            if (first < 0x80)
            {
                length = first;
            }
            else
            {
                var bytes = first & 0x7f;
                if (bytes == 0 || bytes > 3 || position + bytes > der.Length) return false;
                for (var i = 0; i < bytes; i++) length = (length << 8) | der[position++];
            }
            return position + length <= der.Length;
        }

        /// <summary>A name as a message may quote it: control and non-ASCII characters as '?', cut to the echo length.</summary>
        private static string Printable(string name) =>
            Redaction.Echo(new string(name.Select(c => c < 0x20 || c > 0x7e ? '?' : c).ToArray()));
    }
}
