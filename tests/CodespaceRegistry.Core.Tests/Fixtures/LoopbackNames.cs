using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// Names such as <c>reg.example:17202</c> for loopback servers, without DNS: <see cref="Handler"/> connects each mapped
    /// name and port to a port on 127.0.0.1, and <see cref="ResolveAsync"/> answers the address the test says the name
    /// has (a documentation address such as 192.0.2.7 for "not loopback"). An unmapped name does not resolve and does
    /// not connect, so nothing ever leaves 127.0.0.1.
    /// </summary>
    public sealed class LoopbackNames
    {
        private readonly ConcurrentDictionary<string, int> _ports = new ConcurrentDictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, IPAddress> _addresses = new ConcurrentDictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Says that <paramref name="name"/> resolves to <paramref name="address"/> (what the client decides by).</summary>
        public LoopbackNames Resolves(string name, string address)
        {
            _addresses[name] = IPAddress.Parse(address);
            return this;
        }

        /// <summary>Sends connections for <paramref name="name"/>:<paramref name="port"/> to <paramref name="server"/>.</summary>
        public LoopbackNames Maps(string name, int port, LoopbackServer server)
        {
            _ports[name + ":" + port] = server.BaseUri.Port;
            return this;
        }

        /// <summary>The names the client asked to resolve, in order.</summary>
        public ConcurrentQueue<string> Resolved { get; } = new ConcurrentQueue<string>();

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Resolved.Enqueue(host);
            return _addresses.TryGetValue(host, out var address)
                ? Task.FromResult(new[] { address })
                : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
        }

        /// <summary>
        /// A handler that connects mapped names to loopback and accepts any server certificate (the tests that use it
        /// are about where credentials go, not about trust; TlsRegistryTests prove certificate checks).
        /// </summary>
        public HttpMessageHandler Handler() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, cancellationToken) =>
            {
                var key = context.DnsEndPoint.Host + ":" + context.DnsEndPoint.Port;
                if (!_ports.TryGetValue(key, out var port)) throw new SocketException((int)SocketError.HostNotFound);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
