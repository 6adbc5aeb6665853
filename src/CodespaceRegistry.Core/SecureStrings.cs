using System;
using System.Runtime.InteropServices;
using System.Security;

namespace CodespaceRegistry
{
    /// <summary>Moves secrets in and out of <see cref="SecureString"/> at the last moment.</summary>
    public static class SecureStrings
    {
        public static SecureString ToSecureString(string value)
        {
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
