using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Registries
{
    /// <summary>How a host name becomes addresses.</summary>
    public static class HostResolution
    {
        /// <summary>
        /// A name under the reserved <c>.invalid</c> top-level domain (RFC 6761, section 6.4): it never resolves, and
        /// resolvers should say so at once, without asking a DNS server.
        /// </summary>
        public static bool IsReservedInvalid(string host)
        {
            var name = host.TrimEnd('.');
            return name.Equals("invalid", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The system resolver, except that a <c>.invalid</c> name fails as not found without a query.</summary>
        public static Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            if (IsReservedInvalid(host)) throw new SocketException((int)SocketError.HostNotFound);
            cancellationToken.ThrowIfCancellationRequested();
            return Dns.GetHostAddressesAsync(host);
        }
    }
}
