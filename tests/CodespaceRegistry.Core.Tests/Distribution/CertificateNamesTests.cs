using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CodespaceRegistry.Distribution;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    /// <summary>The names a TLS name-mismatch message says a certificate is for.</summary>
    public class CertificateNamesTests
    {
        private static X509Certificate2 Certificate(string subject, Action<SubjectAlternativeNameBuilder>? names)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            if (names != null)
            {
                var san = new SubjectAlternativeNameBuilder();
                names(san);
                request.CertificateExtensions.Add(san.Build());
            }
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        }

        [Fact]
        public void TheSubjectAlternativeNamesInOrderNotTheCommonName()
        {
            using var certificate = Certificate("CN=ignored.example", san =>
            {
                san.AddDnsName("registry.example");
                san.AddEmailAddress("ops@example.com");
                san.AddDnsName("*.registry.example");
                san.AddIpAddress(IPAddress.Loopback);
                san.AddIpAddress(IPAddress.IPv6Loopback);
            });
            Assert.Equal(new[] { "registry.example", "*.registry.example", "127.0.0.1", "::1" }, CertificateNames.Of(certificate));
        }

        [Fact]
        public void WithoutAlternativeNamesTheCommonName()
        {
            using var certificate = Certificate("CN=old.example, O=Octo", null);
            Assert.Equal(new[] { "old.example" }, CertificateNames.Of(certificate));
        }

        [Fact]
        public void AHostileCertificateIsListedShortAndPrintable()
        {
            // Written by hand: .NET's builder refuses control characters, a server's certificate need not.
            var names = new[] { "evil\u001b[31m.example" }.Concat(Enumerable.Range(0, 200).Select(i => $"n{i}.example")).Append(new string('a', 300) + ".example");
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", Der(0x30, names.SelectMany(n => Der(0x82, n.Select(c => (byte)c))).ToArray()), false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

            var listed = CertificateNames.Of(certificate);
            Assert.Equal("evil?[31m.example", listed[0]);
            Assert.All(listed, n => Assert.True(n.Length <= Redaction.MaxEchoLength + 1));
            var text = CertificateNames.Describe(listed);
            Assert.EndsWith(" and 197 more", text);
            Assert.Equal(CertificateNames.MaxListed, text.Split(" and ")[0].Split(", ").Length);
        }

        /// <summary>A DER tag, its definite length (short or two-byte long form) and its content.</summary>
        private static byte[] Der(byte tag, System.Collections.Generic.IEnumerable<byte> content)
        {
            var bytes = content.ToArray();
            var length = bytes.Length < 0x80 ? new[] { (byte)bytes.Length } : new byte[] { 0x82, (byte)(bytes.Length >> 8), (byte)bytes.Length };
            return new[] { tag }.Concat(length).Concat(bytes).ToArray();
        }

        [Fact]
        public void ACertificateThatNamesNothingSaysSo() => Assert.Equal("no host name", CertificateNames.Describe(Array.Empty<string>()));
    }
}
