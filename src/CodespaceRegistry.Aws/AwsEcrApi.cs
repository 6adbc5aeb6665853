using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;
using CodespaceRegistry.Ecr;

namespace CodespaceRegistry.Aws
{
    /// <summary>
    /// <see cref="IEcrApi"/> over AWSSDK.Core's SigV4 signer. There is no AWSSDK.ECR here, so GetAuthorizationToken is
    /// sent as the AWS JSON 1.1 request the ECR service model defines (POST / with X-Amz-Target); GetCallerIdentity as
    /// the STS Query request (a form POST). Both are read here, so that every answer is capped
    /// (<see cref="ResponseBodies"/>) and every unexpected answer becomes an <see cref="AwsApiException"/>.
    /// </summary>
    public sealed class AwsEcrApi : IEcrApi
    {
        private const string JsonContentType = "application/x-amz-json-1.1";
        private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

        private static readonly HttpClient Http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

        public async Task<EcrAuthorization> GetAuthorizationTokenAsync(AwsEndpoint endpoint, AwsAccessKey key, DateTimeOffset signedAt, CancellationToken cancellationToken)
        {
            var isPublic = endpoint.Service == AwsService.EcrPublic;
            var target = (isPublic ? "SpencerFrontendService" : "AmazonEC2ContainerRegistry_V20150921") + ".GetAuthorizationToken";
            var headers = new Dictionary<string, string> { ["X-Amz-Target"] = target };
            var (status, text) = await SendSignedAsync(endpoint, key, signedAt, isPublic ? "ECR PUBLIC" : "ECR", headers, JsonContentType, "{}", cancellationToken).ConfigureAwait(false);
            if (status < 200 || status > 299) throw JsonError(endpoint.Service, status, text);
            return ParseAuthorization(endpoint.Service, text);
        }

        public async Task<AwsCallerIdentity> GetCallerIdentityAsync(AwsEndpoint endpoint, AwsAccessKey key, CancellationToken cancellationToken)
        {
            var (status, text) = await SendSignedAsync(endpoint, key, DateTimeOffset.UtcNow, "STS", new Dictionary<string, string>(), FormContentType,
                "Action=GetCallerIdentity&Version=2011-06-15", cancellationToken).ConfigureAwait(false);
            var document = ParseXml(AwsService.Sts, status, text);
            string? Value(string name) => document.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            if (status < 200 || status > 299)
                throw new AwsApiException(AwsService.Sts, Value("Code") ?? "HttpStatus" + status, status, Value("Message") ?? "");
            var account = Value("Account");
            var arn = Value("Arn");
            if (account == null || arn == null)
                throw new AwsApiException(AwsService.Sts, "MalformedResponse", status, "the response is not the GetCallerIdentity output shape.");
            return new AwsCallerIdentity(account, arn, Value("UserId") ?? "");
        }

        /// <summary>Signs and sends one POST to the endpoint's root; the answer is read up to <see cref="ResponseBodies.DefaultMaxBytes"/>.</summary>
        private static async Task<(int Status, string Text)> SendSignedAsync(AwsEndpoint endpoint, AwsAccessKey key, DateTimeOffset signedAt, string serviceName,
            Dictionary<string, string> headers, string contentType, string content, CancellationToken cancellationToken)
        {
            var body = Encoding.UTF8.GetBytes(content);
            var request = new DefaultRequest(new SignedRequest(), serviceName)
            {
                HttpMethod = "POST",
                Endpoint = endpoint.Url,
                ResourcePath = "/",
                Content = body,
                AuthenticationRegion = endpoint.Region,
            };
            foreach (var header in headers) request.Headers[header.Key] = header.Value;
            request.Headers["Content-Type"] = contentType;
            // The signer reads only the signing name and region from the client config; no service client exists here.
            var config = new AmazonSecurityTokenServiceConfig { AuthenticationServiceName = endpoint.SigningName, AuthenticationRegion = endpoint.Region };
            var signature = new AWS4Signer().SignRequest(request, config, null, key.AccessKeyId, key.SecretAccessKey, signedAt.UtcDateTime);

            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.Url, "/"));
            foreach (var header in request.Headers)
            {
                if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(header.Key, "host", StringComparison.OrdinalIgnoreCase)) continue;
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            message.Headers.TryAddWithoutValidation("Authorization", signature.ForAuthorizationHeader);
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

            // The caller's token carries the call's deadline (EcrCredentialSwap.CallTimeout), the body read included.
            using var response = await Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var bytes = await ResponseBodies.ReadAsync(response.Content, ResponseBodies.DefaultMaxBytes, cancellationToken).ConfigureAwait(false)
                ?? throw new AwsApiException(endpoint.Service, "ResponseTooLarge", (int)response.StatusCode, $"the response is larger than {ResponseBodies.DefaultMaxBytes} bytes and was not read.");
            return ((int)response.StatusCode, Encoding.UTF8.GetString(bytes));
        }

        /// <summary>STS answers XML (results and errors alike); anything else is not STS.</summary>
        private static XDocument ParseXml(AwsService service, int status, string text)
        {
            try
            {
                using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
                return XDocument.Load(reader);
            }
            catch (XmlException e)
            {
                throw new AwsApiException(service, "MalformedResponse", status, "the response is not XML.", e);
            }
        }

        /// <summary>ECR returns authorizationData as a list; ECR Public as one object. expiresAt is epoch seconds with a fraction.</summary>
        private static EcrAuthorization ParseAuthorization(AwsService service, string json)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                var data = doc.RootElement.GetProperty("authorizationData");
                if (data.ValueKind == JsonValueKind.Array)
                {
                    if (data.GetArrayLength() == 0) throw new AwsApiException(service, "EmptyAuthorizationData", 200, "the response carried no authorizationData.");
                    data = data[0];
                }
                var token = data.GetProperty("authorizationToken").GetString() ?? "";
                if (!EcrAuthorizationToken.TryFromEpochSeconds(data.GetProperty("expiresAt").GetDouble(), out var expiresAt))
                    throw new AwsApiException(service, "MalformedResponse", 200, "the response's expiresAt is not a time.");
                var proxy = data.TryGetProperty("proxyEndpoint", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                return new EcrAuthorization(token, expiresAt, proxy);
            }
            catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException || e is FormatException || e is ArgumentException)
            {
                throw new AwsApiException(service, "MalformedResponse", 200, "the response is not the GetAuthorizationToken output shape.", e);
            }
        }

        /// <summary>An AWS JSON 1.1 error: <c>__type</c> (possibly prefixed with a namespace and '#') and <c>message</c>.</summary>
        private static AwsApiException JsonError(AwsService service, int status, string json)
        {
            var code = "HttpStatus" + status;
            var message = "";
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
                if (doc.RootElement.TryGetProperty("__type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is string t) code = t.Substring(t.LastIndexOf('#') + 1);
                if ((doc.RootElement.TryGetProperty("message", out var m) || doc.RootElement.TryGetProperty("Message", out m)) && m.ValueKind == JsonValueKind.String) message = m.GetString() ?? "";
            }
            catch (JsonException)
            {
                message = json.Length > 200 ? json.Substring(0, 200) : json;
            }
            return new AwsApiException(service, code, status, message);
        }

        /// <summary>The SDK's request type needs an originating request object; this one carries nothing.</summary>
        private sealed class SignedRequest : AmazonWebServiceRequest
        {
        }
    }
}
