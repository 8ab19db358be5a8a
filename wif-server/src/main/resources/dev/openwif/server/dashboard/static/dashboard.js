// OpenWIF dashboard: the only script. Loads a chosen JWKS file into its text area (the file never
// leaves the browser on its own; the text area is what the form sends).
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-into]")) return;
  var target = document.getElementById(input.getAttribute("data-into"));
  var file = input.files && input.files[0];
  if (!target || !file) return;
  file.text().then(function (text) { target.value = text; });
});
