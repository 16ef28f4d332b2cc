// mno-sandbox IdP: submits the SAML POST form as soon as the page loads. The page also works without
// JavaScript (a visible submit button), so this file only saves a click.
(function () {
  var form = document.getElementById('saml-post');
  if (form) form.submit();
})();
