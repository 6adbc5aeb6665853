using System;
using System.Security.Cryptography;
using System.Text;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Distribution
{
    /// <summary>
    /// Tells credentials apart without keeping them: an HMAC of user and password under a key made for this process, so
    /// that a cached token is used only by the very credential it was issued to (same user, other password: other
    /// token), and the fingerprint says nothing about the password outside this process.
    /// </summary>
    internal sealed class CredentialFingerprints
    {
        private readonly byte[] _key = new byte[32];

        public CredentialFingerprints()
        {
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(_key);
        }

        /// <summary>"" for anonymous access.</summary>
        public string Of(RegistryCredential? credential)
        {
            if (credential == null) return "";
            using var hmac = new HMACSHA256(_key);
            var bytes = Encoding.UTF8.GetBytes(credential.UserName + "\n" + SecureStrings.Reveal(credential.Password));
            try
            {
                return Convert.ToBase64String(hmac.ComputeHash(bytes));
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }
    }
}
