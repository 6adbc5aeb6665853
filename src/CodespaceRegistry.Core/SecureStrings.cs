using System;
using System.Runtime.InteropServices;
using System.Security;

namespace CodespaceRegistry
{
    /// <summary>Moves secrets in and out of <see cref="SecureString"/> at the last moment.</summary>
    public static class SecureStrings
    {
        /// <summary>The most characters a <see cref="SecureString"/> holds.</summary>
        public const int MaxLength = 65536;

        /// <exception cref="RegistryException"><c>SecretTooLong</c> when the value is longer than <see cref="MaxLength"/>.</exception>
        public static SecureString ToSecureString(string value)
        {
            if (value.Length > MaxLength)
            {
                throw new RegistryException("SecretTooLong", ErrorKind.LimitsExceeded,
                    $"A secret of {value.Length} characters is longer than the {MaxLength} a SecureString holds (GitHub allows 48 KB); store the real, shorter value.");
            }
            var secure = new SecureString();
            foreach (var c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>The plain text of a secret: call it right where the value is sent, and drop it after.</summary>
        public static string Reveal(SecureString secure)
        {
            if (secure == null) throw new ArgumentNullException(nameof(secure));
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr) ?? "";
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
