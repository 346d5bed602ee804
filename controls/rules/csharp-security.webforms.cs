// Test cases for csharp-security.yaml: classic ASP.NET (Web Forms pages and an IHttpHandler).
// Input comes from Request.QueryString / Request["x"] / Request.Cookies and from input controls
// (txtX.Text, ddlX.SelectedValue, FileUpload.FileName); Label.Text renders HTML unencoded.
using System;
using System.Data.SQLite;
using System.IO;
using System.Web;
using System.Web.Security;
using System.Web.UI;
using System.Xml;

namespace Acme.Portal
{
    public partial class Offices : Page
    {
        private SQLiteConnection connection;

        protected void Page_Load(object sender, EventArgs e)
        {
            string city = Request.QueryString["city"];
            // ruleid: csharp.xss
            lblOutput.Text = "Offices in " + city;
            // ok: csharp.xss
            lblSafe.Text = "Offices in " + Server.HtmlEncode(city);
            // ok: csharp.xss
            txtCity.Text = city;
            // ruleid: csharp.xss
            Response.Write("<p>" + Request["note"] + "</p>");
        }

        protected void btnFind_Click(object sender, EventArgs e)
        {
            string name = txtName.Text;
            string sql = "select email from Employees where lastName like '" + name + "%'";
            // ruleid: csharp.sql-injection, csharp.sql-string-built
            var adapter = new SQLiteDataAdapter(sql, connection);
            // ok: csharp.sql-injection, csharp.sql-string-built
            var safeAdapter = new SQLiteDataAdapter("select email from Employees where lastName like @name", connection);
            safeAdapter.SelectCommand.Parameters.AddWithValue("@name", name + "%");
        }

        protected void btnUpload_Click(object sender, EventArgs e)
        {
            // ruleid: csharp.path-traversal
            FileUpload1.SaveAs(Server.MapPath("~/uploads/") + FileUpload1.FileName);
            // ok: csharp.path-traversal
            FileUpload1.SaveAs(Server.MapPath("~/uploads/") + Path.GetFileName(FileUpload1.FileName));
        }

        protected void Download(object sender, EventArgs e)
        {
            string file = Request.QueryString["file"];
            // ruleid: csharp.path-traversal
            Response.TransmitFile(MapPath("~/Downloads/" + file));
        }

        protected void btnLogin_Click(object sender, EventArgs e)
        {
            string returnUrl = Request.QueryString["ReturnUrl"];
            var ticket = FormsAuthentication.Encrypt(new FormsAuthenticationTicket(txtUser.Text, false, 30));
            var cookie = new HttpCookie(FormsAuthentication.FormsCookieName, ticket);
            // ruleid: csharp.cookie-insecure
            Response.Cookies.Add(cookie);
            // ruleid: csharp.open-redirect
            Response.Redirect(returnUrl);
        }

        protected void btnRemember_Click(object sender, EventArgs e)
        {
            var cookie = new HttpCookie("customer", txtUser.Text);
            cookie.HttpOnly = true;
            cookie.Secure = true;
            // ok: csharp.cookie-insecure
            Response.Cookies.Add(cookie);
            // ok: csharp.open-redirect
            Response.Redirect("Details.aspx?customer=" + HttpUtility.UrlEncode(txtUser.Text));
        }

        protected void ddlItems_SelectedIndexChanged(object sender, EventArgs e)
        {
            // ok: csharp.open-redirect
            Response.Redirect("ProductDetails.aspx?productNumber=" + ddlItems.SelectedItem.Value);
        }

        private void FindSalesPerson()
        {
            var doc = new XmlDocument();
            doc.Load(Server.MapPath("~/App_Data/sales.xml"));
            // ruleid: csharp.xpath-injection
            var list = doc.SelectNodes("//salesperson[state='" + Request.QueryString["state"] + "']");
            // ok: csharp.xpath-injection
            var one = doc.SelectSingleNode("//salesperson[1]");
        }
    }

    public class Lookup : IHttpHandler
    {
        public void ProcessRequest(HttpContext context)
        {
            string query = context.Request["query"];
            // ruleid: csharp.xss
            context.Response.Write("<li>" + query + "</li>");
            // ok: csharp.xss
            context.Response.Write("<li>" + HttpUtility.HtmlEncode(query) + "</li>");
        }

        public bool IsReusable => false;
    }
}
