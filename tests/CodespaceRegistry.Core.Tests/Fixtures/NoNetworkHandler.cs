using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// A transport that refuses every connection before any name is resolved: for tests of a registry that is named by
    /// its real host (an ECR registry) and must never be looked up or reached.
    /// </summary>
    public sealed class NoNetworkHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("No network in this test.", new SocketException((int)SocketError.ConnectionRefused));
    }
}
