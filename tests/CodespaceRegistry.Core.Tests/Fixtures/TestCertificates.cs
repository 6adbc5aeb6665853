using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>A throwaway CA and the certificates the fixtures need, made with .NET's CertificateRequest.</summary>
    public static class TestCertificates
    {
        public static X509Certificate2 CreateCa(string name)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        }

        /// <summary>A server certificate for <paramref name="address"/> only (so <c>localhost</c> is a name mismatch).</summary>
        public static X509Certificate2 CreateServer(X509Certificate2 ca, IPAddress address)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=" + address, key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(address);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
            return issued.CopyWithPrivateKey(key);
        }

        /// <summary>A client certificate for mutual TLS, issued by <paramref name="ca"/>.</summary>
        public static X509Certificate2 CreateClient(X509Certificate2 ca, string name)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, false));
            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
            return issued.CopyWithPrivateKey(key);
        }

        /// <summary>A self-signed RSA certificate to sign registry tokens with (its DER goes in the JWT's <c>x5c</c>).</summary>
        public static X509Certificate2 CreateTokenSigner()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=test token signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        }
    }
}
